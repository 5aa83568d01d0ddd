//! What a key can ask for. The names are the ones keymap files use.

macro_rules! actions {
    ($($variant:ident = $name:literal : $desc:literal),+ $(,)?) => {
        /// Something a user asks the screens to do.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action { $($variant),+ }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),+];

            /// The name used in keymap files.
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name),+ }
            }

            /// What it does, for the help screen when a binding gives no description.
            pub fn describe(self) -> &'static str {
                match self { $(Action::$variant => $desc),+ }
            }

            pub fn from_name(name: &str) -> Option<Self> {
                match name { $($name => Some(Action::$variant),)+ _ => None }
            }
        }
    };
}

actions! {
    Quit = "quit": "quit vlu",
    Help = "help": "show the keys",
    NextPane = "next-pane": "next pane",
    PrevPane = "prev-pane": "previous pane",
    Search = "search": "search names, aliases and numbers",
    Open = "open": "open",
    Back = "back": "back",
    Up = "up": "move up",
    Down = "down": "move down",
    PageUp = "page-up": "page up",
    PageDown = "page-down": "page down",
    Top = "top": "go to the top",
    Bottom = "bottom": "go to the bottom",
    LogContact = "log-contact": "log a contact",
    Reveal = "reveal": "show or hide contact details",
    ToggleMine = "toggle-mine": "my victims / all victims",
    CycleStatus = "cycle-status": "filter by status",
    ToggleUnanswered = "toggle-unanswered": "never answered, release within 12 months / all",
    Snooze = "snooze": "snooze a reminder",
    Unsnooze = "unsnooze": "end a reminder's snooze",
    Correct = "correct-entry": "correct this entry (a new entry that says so)",
    LongerHorizon = "longer-horizon": "look a week further ahead",
    ShorterHorizon = "shorter-horizon": "look a week less far ahead",
    OptIn = "opt-in": "record opt-in",
    Decline = "decline": "record a decline",
    OptOut = "opt-out": "record opt-out",
    AddKeyDate = "add-key-date": "add or change a key date of the case",
    AddSensitiveDate = "add-sensitive-date": "add a sensitive date",
    EditVictim = "edit-victim": "change any part of the victim's record",
    EditCase = "edit-case": "change any part of the case",
    CloseCase = "close-case": "close the case and its victims",
    Workload = "workload": "each officer's workload",
    SortWorkload = "sort-workload": "sort the workload by the next column",
    NewVictim = "new-victim": "add a victim",
    NewCase = "new-case": "add a case",
    WriteLetter = "write-letter": "write a letter",
    Save = "save": "save",
    NextField = "next-field": "next field",
    PrevField = "prev-field": "previous field",
    EditCasework = "edit-casework": "personal statement, complaints, licence requests, a move away, a risk, tasks",
    EditCaseCasework = "edit-case-casework": "restricted patient, transfer to another unit",
    Report = "report": "the monitoring return",
    PrevPeriod = "previous-period": "the quarter before",
    NextPeriod = "next-period": "the quarter after",
    Zoom = "zoom": "the pane takes the whole screen, and back",
    Erase = "erase": "erase a victim or a case for good (administrators)",
    SubjectAccess = "subject-access": "everything held about the victim (administrators)",
    AuditTrail = "audit-trail": "the audit trail (administrators)",
}
