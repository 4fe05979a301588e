//! Surveys: NPS for external customers and pulse surveys (with eNPS) for employees. Their words,
//! the rules of a question set and of an answer to it, and the scores, all without IO.
//!
//! The first question of every survey is the 0–10 "would you recommend" question: its answers give
//! the NPS (customers) or eNPS (employees): the share of promoters (9–10) minus the share of
//! detractors (0–6), in whole percent.

use serde::{Deserialize, Serialize};

use crate::macros::string_enum;
use crate::validate::{self, FieldErrors};

string_enum!(
    /// NPS asks external customers; a pulse survey asks employees, always anonymously.
    SurveyKind { Nps => "nps", Pulse => "pulse" }
);

string_enum!(
    /// Who is asked: every external customer, every employee, or the employees of one department.
    SurveyAudience { External => "external", Employees => "employees", Department => "department" }
);

string_enum!(
    /// How a question is answered.
    QuestionKind { Scale0To10 => "scale_0_10", Scale1To5 => "scale_1_5", Choice => "choice", Text => "text" }
);

/// One question of a survey.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub kind: QuestionKind,
    pub text: String,
    /// The options of a `choice` question (2–10); empty for the others.
    #[serde(default)]
    pub choices: Vec<String>,
}

/// One answer: `number` for the scales, `text` for a choice (one of its options) or a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// The question's position, from 0.
    pub question: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

pub const MAX_QUESTIONS: usize = 20;
pub const MAX_TEXT_ANSWER: usize = 4_000;

/// Checks a question set: 1–20 questions, the first a 0–10 scale, choices only (and always) on
/// choice questions. Returns the questions trimmed.
pub fn check_questions(errors: &mut FieldErrors, questions: &[Question]) -> Vec<Question> {
    if questions.is_empty() || questions.len() > MAX_QUESTIONS {
        errors.add("questions", format!("must have 1 to {MAX_QUESTIONS} questions"));
    }
    if questions.first().is_some_and(|first| first.kind != QuestionKind::Scale0To10) {
        errors.add("questions[0].kind", "the first question is the 0–10 recommend question (scale_0_10)");
    }
    questions
        .iter()
        .enumerate()
        .map(|(index, question)| {
            let text = validate::required_line(errors, &format!("questions[{index}].text"), &question.text, 300);
            let field = format!("questions[{index}].choices");
            let choices: Vec<String> =
                question.choices.iter().map(|choice| validate::required_line(errors, &field, choice, 120)).collect();
            match question.kind {
                QuestionKind::Choice if !(2..=10).contains(&choices.len()) => {
                    errors.add(field, "must have 2 to 10 options")
                }
                QuestionKind::Choice => {}
                _ if !choices.is_empty() => errors.add(field, "only choice questions have options"),
                _ => {}
            }
            Question { kind: question.kind, text, choices }
        })
        .collect()
}

/// Checks answers against the questions: each question at most once, in its own range; the first
/// (the recommend question) is required. Returns them in question order, texts trimmed, empty
/// texts dropped.
pub fn check_answers(errors: &mut FieldErrors, questions: &[Question], answers: &[Answer]) -> Vec<Answer> {
    let mut checked: Vec<Answer> = Vec::new();
    for (index, answer) in answers.iter().enumerate() {
        let field = format!("answers[{index}]");
        let Some(question) = questions.get(answer.question) else {
            errors.add(format!("{field}.question"), "no such question");
            continue;
        };
        if checked.iter().any(|seen| seen.question == answer.question) {
            errors.add(format!("{field}.question"), "answered twice");
            continue;
        }
        if let Some(answer) = check_answer(errors, &field, question, answer) {
            checked.push(answer);
        }
    }
    if !questions.is_empty() && !checked.iter().any(|answer| answer.question == 0) {
        errors.add("answers", "the first question must be answered");
    }
    checked.sort_by_key(|answer| answer.question);
    checked
}

fn check_answer(errors: &mut FieldErrors, field: &str, question: &Question, answer: &Answer) -> Option<Answer> {
    let (low, high) = match question.kind {
        QuestionKind::Scale0To10 => (0, 10),
        QuestionKind::Scale1To5 => (1, 5),
        QuestionKind::Choice | QuestionKind::Text => {
            let text = answer.text.as_deref().map(str::trim).unwrap_or_default();
            if answer.number.is_some() {
                errors.add(format!("{field}.number"), "this question is answered with `text`");
            } else if question.kind == QuestionKind::Choice && !question.choices.iter().any(|choice| choice == text) {
                errors.add(format!("{field}.text"), format!("must be one of: {}", question.choices.join(", ")));
            } else if text.chars().count() > MAX_TEXT_ANSWER {
                errors.add(format!("{field}.text"), format!("must be at most {MAX_TEXT_ANSWER} characters"));
            } else if !text.is_empty() {
                return Some(Answer { question: answer.question, number: None, text: Some(text.to_owned()) });
            }
            return None;
        }
    };
    match answer.number {
        Some(number) if answer.text.is_none() && (low..=high).contains(&number) => {
            Some(Answer { question: answer.question, number: Some(number), text: None })
        }
        _ => {
            errors.add(format!("{field}.number"), format!("must be a number from {low} to {high}"));
            None
        }
    }
}

/// The net promoter score of 0–10 answers: percent promoters (9–10) minus percent detractors
/// (0–6), rounded to a whole number; `None` without answers.
pub fn net_promoter_score(scores: &[i64]) -> Option<i64> {
    if scores.is_empty() {
        return None;
    }
    let promoters = scores.iter().filter(|&&score| score >= 9).count() as f64;
    let detractors = scores.iter().filter(|&&score| score <= 6).count() as f64;
    Some(((promoters - detractors) * 100.0 / scores.len() as f64).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(kind: QuestionKind, choices: &[&str]) -> Question {
        Question { kind, text: "Q".to_owned(), choices: choices.iter().map(|&c| c.to_owned()).collect() }
    }

    fn number(question: usize, number: i64) -> Answer {
        Answer { question, number: Some(number), text: None }
    }

    fn text(question: usize, text: &str) -> Answer {
        Answer { question, number: None, text: Some(text.to_owned()) }
    }

    #[test]
    fn nps_is_promoters_minus_detractors_in_percent() {
        assert_eq!(net_promoter_score(&[]), None);
        assert_eq!(net_promoter_score(&[10, 9, 8, 7, 0]), Some(20));
        assert_eq!(net_promoter_score(&[6, 6, 6]), Some(-100));
        assert_eq!(net_promoter_score(&[9, 7, 8]), Some(33));
    }

    #[test]
    fn a_question_set_starts_with_the_recommend_question_and_choices_fit_their_kind() {
        let mut errors = FieldErrors::new();
        check_questions(&mut errors, &[question(QuestionKind::Scale0To10, &[]), question(QuestionKind::Text, &[])]);
        assert!(errors.is_empty(), "{errors:?}");
        for bad in [
            vec![],
            vec![question(QuestionKind::Scale1To5, &[])],
            vec![question(QuestionKind::Scale0To10, &[]), question(QuestionKind::Choice, &["only one"])],
            vec![question(QuestionKind::Scale0To10, &["x", "y"])],
        ] {
            let mut errors = FieldErrors::new();
            check_questions(&mut errors, &bad);
            assert!(!errors.is_empty(), "{bad:?}");
        }
    }

    #[test]
    fn answers_are_checked_against_their_questions() {
        let questions = [
            question(QuestionKind::Scale0To10, &[]),
            question(QuestionKind::Scale1To5, &[]),
            question(QuestionKind::Choice, &["Faster", "Friendlier"]),
            question(QuestionKind::Text, &[]),
        ];
        let mut errors = FieldErrors::new();
        check_answers(&mut errors, &questions, &[number(0, 9), text(1, "")]);
        assert!(!errors.is_empty(), "a scale answered with text is refused");
        let mut errors = FieldErrors::new();
        let good = check_answers(&mut errors, &questions, &[text(3, "  fine  "), number(0, 9), text(2, "Faster")]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(good, vec![number(0, 9), text(2, "Faster"), text(3, "fine")]);
        for bad in [
            vec![number(0, 11)],
            vec![number(1, 3)],
            vec![number(0, 5), number(1, 0)],
            vec![number(0, 5), text(2, "Slower")],
            vec![number(0, 5), number(0, 6)],
            vec![number(0, 5), number(9, 1)],
        ] {
            let mut errors = FieldErrors::new();
            check_answers(&mut errors, &questions, &bad);
            assert!(!errors.is_empty(), "{bad:?}");
        }
    }
}
