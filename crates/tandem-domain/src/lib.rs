//! Tandem's domain: the words of the product brief as types, and the rules that need no IO.
//!
//! Nothing here reads the clock, the database or the network: time comes in as an argument, and
//! every rule (who may see a ticket, which status follows which, which routing rule matches, whether
//! a request form is filled in right) is a pure function that can be tested with plain values.

mod macros;

pub mod access;
pub mod announcement;
pub mod article;
pub mod audience;
pub mod calendar;
pub mod feedback;
pub mod form;
pub mod ids;
pub mod incident;
pub mod mail;
pub mod make_good;
pub mod person;
pub mod principal;
pub mod review;
pub mod routing;
pub mod search;
pub mod standard;
pub mod survey;
pub mod tags;
pub mod ticket;
pub mod validate;

pub use access::{TicketAccess, TicketParties};
pub use announcement::AnnouncementStatus;
pub use article::{ArticleAudience, Reaction};
pub use audience::{Audience, TicketAudience};
pub use feedback::{FeedbackRouting, FeedbackSource};
pub use form::{FieldDef, FieldKind, FormDef};
pub use ids::*;
pub use incident::{IncidentStatus, MatchRules, Severity};
pub use mail::{EmailKind, EmailStatus, InboundOutcome};
pub use make_good::{MakeGoodAction, MakeGoodKind, MakeGoodState, RecoveryReason};
pub use person::{Assignment, Connection, PersonKind, Stakeholder, TeamKind, TeamRole};
pub use principal::{Membership, Principal};
pub use review::{ReviewAccess, ReviewFacts, ReviewVisibility};
pub use routing::{RoutingFacts, RuleActions, RuleConditions};
pub use standard::{Metric, TargetState};
pub use survey::{QuestionKind, SurveyAudience, SurveyKind};
pub use ticket::{Channel, MessageVisibility, Priority, TicketStatus};
pub use validate::FieldErrors;

/// Milliseconds since the Unix epoch: the one representation of an instant in storage and rules.
pub type Millis = i64;
