-- vlu's schema 5: vlu's own contact kinds beside the base format's — an unwanted contact
-- from the offender that the victim told of, and a risk reported to an agency.

ALTER TABLE vlu.contacts DROP CONSTRAINT contacts_kind_check;
ALTER TABLE vlu.contacts ADD CONSTRAINT contacts_kind_check
  CHECK (kind IN ('initial_offer', 'second_offer', 'opt_in', 'decline', 'update',
                  'annual_letter', 'written_follow_up', 'meeting_record',
                  'licence_conditions', 'vps', 'complaint', 'complaint_ack',
                  'agency', 'closure', 'note', 'unwanted_contact', 'risk_report'));
