//! The emails Tandem writes, as templates (`templates/email/`): each has a text part and an HTML
//! part rendered from the same values. The HTML templates escape every value (askama escapes
//! `.html` templates), so a subject or a reply can never inject markup into a customer's mail.

use askama::Template;

/// A text and an HTML rendering of one email body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub text: String,
    pub html: String,
}

/// An agent's public reply, sent to the requester. Its text part is `templates/email/reply.txt`.
#[derive(Clone, Debug, Template)]
#[template(path = "email/reply.txt")]
pub struct Reply<'a> {
    pub body: &'a str,
    pub agent: &'a str,
    pub team: &'a str,
    pub ticket: i64,
    /// Where the requester can see the request on the portal.
    pub link: &'a str,
}

/// The confirmation that a new request arrived, sent to its requester.
#[derive(Clone, Debug, Template)]
#[template(path = "email/acknowledgement.txt")]
pub struct Acknowledgement<'a> {
    pub name: &'a str,
    pub subject: &'a str,
    pub team: &'a str,
    pub ticket: i64,
    pub link: &'a str,
}

/// A message to staff about a ticket (an escalation after a breached target).
#[derive(Clone, Debug, Template)]
#[template(path = "email/notification.txt")]
pub struct Notification<'a> {
    pub headline: &'a str,
    pub detail: &'a str,
    pub subject: &'a str,
    pub ticket: i64,
    pub link: &'a str,
}

/// News from leadership to an employee. The text part carries the Markdown as written; the HTML
/// part renders it through [`crate::markdown_to_html`]'s allow-list, the only unescaped value.
#[derive(Clone, Debug, Template)]
#[template(path = "email/announcement.txt")]
pub struct Announcement<'a> {
    pub name: &'a str,
    pub author: &'a str,
    pub title: &'a str,
    /// Markdown.
    pub body: &'a str,
    /// Where the employee reads it on the portal.
    pub link: &'a str,
}

/// After a solve: the requester is asked to rate the request, one signed link per rating.
#[derive(Clone, Debug, Template)]
#[template(path = "email/rating_request.txt")]
pub struct RatingRequest<'a> {
    pub name: &'a str,
    pub subject: &'a str,
    pub team: &'a str,
    pub ticket: i64,
    /// The rating (1–5) and its link.
    pub links: Vec<(i64, String)>,
    /// Until when the answer can be changed (a date a person reads).
    pub closes: &'a str,
}

/// An invitation to an NPS or pulse survey, with the person's own signed link.
#[derive(Clone, Debug, Template)]
#[template(path = "email/survey_invitation.txt")]
pub struct SurveyInvitation<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub intro: &'a str,
    pub link: &'a str,
    pub anonymous: bool,
    pub min_group: i64,
    pub closes: &'a str,
    pub sender: &'a str,
}

/// A team's daily digest of the feedback on the topics it owns.
#[derive(Clone, Debug, Template)]
#[template(path = "email/digest.txt")]
pub struct Digest<'a> {
    pub team: &'a str,
    pub items: Vec<DigestItem>,
    pub link: &'a str,
}

/// One piece of feedback in a digest.
#[derive(Clone, Debug)]
pub struct DigestItem {
    pub topic: String,
    /// "a review", "a satisfaction answer", "a message".
    pub source: &'static str,
    pub stars: Option<i64>,
    pub author: String,
    pub body: String,
}

/// The HTML parts: the email's values under `email`, plus what the page layout needs.
#[derive(Template)]
#[template(path = "email/reply.html")]
struct ReplyHtml<'a> {
    email: &'a Reply<'a>,
    title: &'a str,
    paragraphs: Vec<Vec<&'a str>>,
}

#[derive(Template)]
#[template(path = "email/acknowledgement.html")]
struct AcknowledgementHtml<'a> {
    email: &'a Acknowledgement<'a>,
    title: &'a str,
}

#[derive(Template)]
#[template(path = "email/notification.html")]
struct NotificationHtml<'a> {
    email: &'a Notification<'a>,
    title: &'a str,
}

#[derive(Template)]
#[template(path = "email/announcement.html")]
struct AnnouncementHtml<'a> {
    email: &'a Announcement<'a>,
    title: &'a str,
    body_html: String,
}

#[derive(Template)]
#[template(path = "email/rating_request.html")]
struct RatingRequestHtml<'a> {
    email: &'a RatingRequest<'a>,
    title: &'a str,
}

#[derive(Template)]
#[template(path = "email/survey_invitation.html")]
struct SurveyInvitationHtml<'a> {
    email: &'a SurveyInvitation<'a>,
    title: &'a str,
}

impl RatingRequest<'_> {
    pub fn rendered(&self) -> Result<Rendered, askama::Error> {
        let html = RatingRequestHtml { email: self, title: self.subject };
        Ok(Rendered { text: self.render()?, html: html.render()? })
    }
}

impl SurveyInvitation<'_> {
    pub fn rendered(&self) -> Result<Rendered, askama::Error> {
        let html = SurveyInvitationHtml { email: self, title: self.title };
        Ok(Rendered { text: self.render()?, html: html.render()? })
    }
}

#[derive(Template)]
#[template(path = "email/digest.html")]
struct DigestHtml<'a> {
    email: &'a Digest<'a>,
    title: &'a str,
}

impl Digest<'_> {
    pub fn rendered(&self) -> Result<Rendered, askama::Error> {
        let html = DigestHtml { email: self, title: self.team };
        Ok(Rendered { text: self.render()?, html: html.render()? })
    }
}

impl Reply<'_> {
    pub fn rendered(&self) -> Result<Rendered, askama::Error> {
        let html = ReplyHtml { email: self, title: self.team, paragraphs: paragraphs(self.body) };
        Ok(Rendered { text: self.render()?, html: html.render()? })
    }
}

impl Acknowledgement<'_> {
    pub fn rendered(&self) -> Result<Rendered, askama::Error> {
        let html = AcknowledgementHtml { email: self, title: self.subject };
        Ok(Rendered { text: self.render()?, html: html.render()? })
    }
}

impl Notification<'_> {
    pub fn rendered(&self) -> Result<Rendered, askama::Error> {
        let html = NotificationHtml { email: self, title: self.headline };
        Ok(Rendered { text: self.render()?, html: html.render()? })
    }
}

impl Announcement<'_> {
    pub fn rendered(&self) -> Result<Rendered, askama::Error> {
        let html = AnnouncementHtml { email: self, title: self.title, body_html: crate::markdown_to_html(self.body) };
        Ok(Rendered { text: self.render()?, html: html.render()? })
    }
}

/// A plain-text body as paragraphs (split at blank lines) of lines, for the HTML part.
fn paragraphs(body: &str) -> Vec<Vec<&str>> {
    let mut paragraphs = Vec::new();
    let mut current = Vec::new();
    for line in body.lines().map(str::trim_end) {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_keeps_its_text_and_escapes_its_html() {
        let reply = Reply {
            body: "Hello Erin,\n\nthe <b>grinder</b> & burr ship today.\nTrack it here.",
            agent: "Casey",
            team: "Customer Care",
            ticket: 42,
            link: "http://desk.example/portal/requests/42",
        };
        let rendered = reply.rendered().unwrap();
        assert!(rendered.text.starts_with("Hello Erin,\n\nthe <b>grinder</b> & burr ship today."), "{}", rendered.text);
        assert!(rendered.text.contains("Casey, Customer Care"));
        assert!(rendered.text.contains("#42 at http://desk.example/portal/requests/42"));
        assert!(
            rendered.html.contains("the &#60;b&#62;grinder&#60;/b&#62; &#38; burr ship today.<br>Track it here."),
            "{}",
            rendered.html
        );
        assert!(!rendered.html.contains("<b>grinder"));
        assert_eq!(rendered.html.matches("<p style=\"margin:0 0 12px\">").count(), 2);
    }

    #[test]
    fn a_rating_request_carries_a_link_per_rating_and_escapes_the_subject() {
        let links = (1..=5).map(|stars| (stars, format!("http://desk.example/survey/sv_x?rating={stars}"))).collect();
        let request = RatingRequest {
            name: "Erin",
            subject: "Lid <missing>",
            team: "Customer Care",
            ticket: 7,
            links,
            closes: "24 December 2026",
        };
        let rendered = request.rendered().unwrap();
        for stars in 1..=5 {
            assert!(rendered.text.contains(&format!("{stars} of 5: http://desk.example/survey/sv_x?rating={stars}")));
            assert!(rendered.html.contains(&format!("href=\"http://desk.example/survey/sv_x?rating={stars}\"")));
        }
        assert!(rendered.text.contains("until 24 December 2026"));
        assert!(!rendered.html.contains("<missing>"), "{}", rendered.html);
    }

    #[test]
    fn an_acknowledgement_escapes_the_subject_in_html() {
        let ack = Acknowledgement {
            name: "Erin",
            subject: "<script>alert(1)</script>",
            team: "Customer Care",
            ticket: 7,
            link: "http://desk.example/portal/requests/7",
        };
        let rendered = ack.rendered().unwrap();
        assert!(rendered.text.contains("\"<script>alert(1)</script>\" and given it the number #7"));
        assert!(!rendered.html.contains("<script>"));
        assert!(rendered.html.contains("#7"));
    }

    #[test]
    fn an_announcement_renders_its_markdown_safely() {
        let announcement = Announcement {
            name: "Bea",
            author: "Avery <Admin>",
            title: "Summer <hours>",
            body: "Stores open **earlier**.\n\n<script>alert(1)</script>",
            link: "http://desk.example/portal/announcements/3",
        };
        let rendered = announcement.rendered().unwrap();
        assert!(rendered.text.contains("Summer <hours>\n\nStores open **earlier**."), "{}", rendered.text);
        assert!(rendered.html.contains("<strong>earlier</strong>"), "{}", rendered.html);
        assert!(rendered.html.contains("Summer &#60;hours&#62;"), "{}", rendered.html);
        assert!(rendered.html.contains("Avery &#60;Admin&#62;"), "{}", rendered.html);
        assert!(!rendered.html.contains("<script>"), "{}", rendered.html);
    }

    #[test]
    fn paragraphs_split_at_blank_lines() {
        assert_eq!(paragraphs("a\nb\n\n\nc  \n"), vec![vec!["a", "b"], vec!["c"]]);
        assert!(paragraphs("\n \n").is_empty());
    }
}
