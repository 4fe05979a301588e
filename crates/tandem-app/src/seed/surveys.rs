//! The demo's surveys: last fortnight's NPS round to external customers and last month's pulse
//! round to every employee, both answered through their signed links and closed since, so the
//! results pages have something to show: the NPS and the eNPS, Store Operations' own results, and
//! the one-person teams' "not enough answers".

use tandem_domain::survey::{Answer, Question};
use tandem_domain::{Millis, PersonId, PersonKind, QuestionKind, SurveyAudience, SurveyKind, TeamId};
use tandem_store::surveys;

use super::{Builder, new_person};
use crate::AppError;
use crate::directory::people::NewPerson;
use crate::surveys::rounds::invite;
use crate::surveys::{AnswersInput, SurveyInput};

const HOUR: Millis = 3_600_000;
const DAY: Millis = 24 * HOUR;

/// Customers who answered the NPS survey, besides Erin, Olga and Sol.
const CUSTOMERS: [(&str, &str); 3] = [
    ("theo@example.net", "Theo Regular"),
    ("priya@example.org", "Priya Subscriber"),
    ("marco@cafemarco.example", "Marco Café"),
];

/// Baristas of the stores, so Store Operations has enough answers to show its own results.
const BARISTAS: [(&str, &str); 4] = [
    ("noor@harbor.example", "Noor Barista"),
    ("kai@harbor.example", "Kai Barista"),
    ("lena@harbor.example", "Lena Shift Lead"),
    ("omar@harbor.example", "Omar Barista"),
];

/// NPS answers: (score, what matters most, what to improve).
const NPS_ANSWERS: [(i64, &str, &str); 6] = [
    (10, "Coffee quality", "Nothing, the Harbor blend is perfect."),
    (9, "Customer care", "Casey sorted my missing lid in a day. Keep that up."),
    (7, "Delivery speed", "Deliveries take four days; two would be great."),
    (6, "Price", "The subscription got more expensive without a word."),
    (9, "Coffee quality", "More single origins, please."),
    (3, "Delivery speed", "I was charged twice at the till and waited a week for the refund."),
];

/// Pulse answers: (eNPS, workload 1–5, what would help most, comment).
const PULSE_ANSWERS: [(i64, i64, &str, &str); 13] = [
    (9, 4, "Better tools", "The new tills freeze too often."),
    (8, 3, "Clearer priorities", ""),
    (10, 4, "More recognition", "Great team at Pier 9."),
    (6, 2, "Better tools", "Weekend shifts are understaffed."),
    (9, 4, "More training", ""),
    (7, 3, "Clearer priorities", "Too many last-minute promotions from Marketing."),
    (9, 5, "More recognition", ""),
    (5, 2, "Better tools", "Card readers keep failing and we take the blame."),
    (8, 4, "More training", "A latte art workshop would be fun."),
    (10, 4, "More recognition", ""),
    (7, 3, "Clearer priorities", ""),
    (9, 4, "Better tools", ""),
    (4, 2, "Clearer priorities", "I do not know who decides the store rota."),
];

pub(super) async fn build_surveys(builder: &mut Builder, stores: TeamId, now: Millis) -> Result<(), AppError> {
    builder.at(now - 14 * DAY);
    for (email, name) in CUSTOMERS {
        builder.person(new_person(email, name, PersonKind::External)).await?;
    }
    for (email, name) in BARISTAS {
        let barista = NewPerson {
            title: Some("Barista".into()),
            department_id: Some(stores),
            ..new_person(email, name, PersonKind::Employee)
        };
        builder.person(barista).await?;
    }
    let nps = nps_survey();
    let answers =
        NPS_ANSWERS.iter().map(|&(score, matters, improve)| vec![number(0, score), text(1, matters), text(2, improve)]);
    run_round(builder, nps, now - 13 * DAY, answers.collect()).await?;
    let pulse = pulse_survey();
    let answers = PULSE_ANSWERS.iter().map(|&(score, workload, helps, comment)| {
        vec![number(0, score), number(1, workload), text(2, helps), text(3, comment)]
    });
    run_round(builder, pulse, now - 12 * DAY, answers.collect()).await
}

fn nps_survey() -> SurveyInput {
    SurveyInput {
        kind: SurveyKind::Nps,
        title: "How likely are you to recommend Harbor Coffee?".into(),
        intro: "Two minutes, three questions: it tells us what to fix first.".into(),
        questions: vec![
            question(QuestionKind::Scale0To10, "How likely are you to recommend Harbor Coffee to a friend?", &[]),
            question(
                QuestionKind::Choice,
                "What matters most to you?",
                &["Coffee quality", "Delivery speed", "Customer care", "Price"],
            ),
            question(QuestionKind::Text, "What is the one thing we should improve?", &[]),
        ],
        audience: SurveyAudience::External,
        department_id: None,
        every_days: Some(90),
        open_days: Some(7),
        anonymous: Some(false),
        min_group: None,
        active: Some(true),
    }
}

fn pulse_survey() -> SurveyInput {
    SurveyInput {
        kind: SurveyKind::Pulse,
        title: "Monthly pulse".into(),
        intro: "Anonymous: answers are stored without your name, and shown only for groups of five or more.".into(),
        questions: vec![
            question(
                QuestionKind::Scale0To10,
                "How likely are you to recommend Harbor Coffee as a place to work?",
                &[],
            ),
            question(QuestionKind::Scale1To5, "How manageable was your workload this month?", &[]),
            question(
                QuestionKind::Choice,
                "What would help you most?",
                &["Clearer priorities", "Better tools", "More training", "More recognition"],
            ),
            question(QuestionKind::Text, "Anything else you want leadership to hear?", &[]),
        ],
        audience: SurveyAudience::Employees,
        department_id: None,
        every_days: Some(30),
        open_days: Some(7),
        anonymous: None,
        min_group: None,
        active: Some(true),
    }
}

/// Defines the survey, sends a round at `at` and answers it with the audience's links, one person
/// a few hours after the other, in id order.
async fn run_round(
    builder: &mut Builder,
    input: SurveyInput,
    at: Millis,
    answers: Vec<Vec<Answer>>,
) -> Result<(), AppError> {
    let app = builder.app().clone();
    let admin = builder.admin().clone();
    let survey = app.create_survey(&admin, input, at).await?;
    // The round went out before the desk existed: opened and its invitations claimed here, with no
    // sending job left behind in the queue (the desk's own jobs start empty).
    let mut tx = app.store().begin().await?;
    let row = surveys::get(tx.conn(), survey.id).await?.ok_or(AppError::NotFound("survey"))?;
    let next = row.every_days.map(|days| at + days * DAY);
    let closes = at + row.open_days * DAY;
    let round = surveys::open_round(tx.conn(), &row, next, closes, at).await?.ok_or(AppError::NotFound("round"))?;
    let people = surveys::audience_after(tx.conn(), survey.audience, None, PersonId(0), answers.len() as i64).await?;
    let mut tokens = Vec::with_capacity(people.len());
    for person in people {
        tokens.extend(invite(tx.conn(), round, person, at).await?);
    }
    tx.commit().await?;
    for (index, (token, answers)) in tokens.iter().zip(answers).enumerate() {
        let answered_at = at + (index as i64 + 1) * 7 * HOUR;
        app.answer_survey_link(token, AnswersInput { answers }, answered_at).await?;
    }
    Ok(())
}

fn question(kind: QuestionKind, text: &str, choices: &[&str]) -> Question {
    Question { kind, text: text.to_owned(), choices: choices.iter().map(|&choice| choice.to_owned()).collect() }
}

fn number(question: usize, number: i64) -> Answer {
    Answer { question, number: Some(number), text: None }
}

fn text(question: usize, text: &str) -> Answer {
    Answer { question, number: None, text: Some(text.to_owned()) }
}
