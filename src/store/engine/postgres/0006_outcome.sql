-- vlu's schema 6: vlu's own contact kinds `outcome` — the unit received the outcome of a key
-- date (a hearing's decision, an appeal's), which the victim is then told — and `referral`
-- (the victim referred or signposted to Victim Support or another service).

ALTER TABLE vlu.contacts DROP CONSTRAINT contacts_kind_check;
ALTER TABLE vlu.contacts ADD CONSTRAINT contacts_kind_check
  CHECK (kind IN ('initial_offer', 'second_offer', 'opt_in', 'decline', 'update',
                  'annual_letter', 'written_follow_up', 'meeting_record',
                  'licence_conditions', 'vps', 'complaint', 'complaint_ack',
                  'agency', 'closure', 'note', 'unwanted_contact', 'risk_report',
                  'outcome', 'referral'));
