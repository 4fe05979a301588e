//! Ids of every aggregate. The database assigns them (one sequence per table, shared by every
//! node on PostgreSQL), so a ticket's id is also its short, human-friendly number.

use crate::macros::id_type;

id_type!(
    /// A person: employee or external contact. One email address is one person.
    PersonId
);
id_type!(
    /// A team or department (one tree).
    TeamId
);
id_type!(
    /// A customer organization (a company that buys, a supplier, …).
    OrganizationId
);
id_type!(
    /// A service in a provider team's catalog.
    ServiceId
);
id_type!(
    /// A ticket (request). Shown to people as `#<id>`.
    TicketId
);
id_type!(
    /// A public reply or internal note on a ticket.
    MessageId
);
id_type!(
    /// An uploaded file, attached to a message once the message is posted.
    AttachmentId
);
id_type!(
    /// An ordered routing rule.
    RuleId
);
id_type!(
    /// An API or session token.
    TokenId
);
id_type!(
    /// One entry of a ticket's audit trail.
    EventId
);
id_type!(
    /// A business-hours calendar.
    CalendarId
);
id_type!(
    /// A service standard (SLA or OLA).
    StandardId
);
id_type!(
    /// An email address that feeds a team's queue.
    MailboxId
);
id_type!(
    /// One message a mailbox received, kept whole with what became of it.
    InboundMessageId
);
id_type!(
    /// One email in the outbox: a reply, acknowledgement or notification Tandem sends.
    OutboundEmailId
);
id_type!(
    /// An incident that many tickets of both audiences are linked to.
    IncidentId
);
id_type!(
    /// One update on an incident, posted to its linked tickets.
    IncidentUpdateId
);
id_type!(
    /// A help article: its live (published) copy and its history of versions.
    ArticleId
);
id_type!(
    /// A category of the help centre.
    ArticleCategoryId
);
id_type!(
    /// An announcement from leadership to every employee or one department.
    AnnouncementId
);
id_type!(
    /// A make-good offered to a customer after a bad experience.
    MakeGoodId
);
id_type!(
    /// An NPS or pulse survey an admin defined.
    SurveyId
);
id_type!(
    /// One sending of a survey to its audience.
    SurveyRoundId
);
id_type!(
    /// A customer's review of a service, public or private.
    ReviewId
);
id_type!(
    /// A feedback topic ("store", "delivery") and the teams that own it.
    FeedbackTopicId
);
id_type!(
    /// One piece of feedback on a topic: a message, a review or a satisfaction answer.
    FeedbackItemId
);
