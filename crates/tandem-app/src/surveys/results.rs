//! Results of a survey round, for admins and leads: the (e)NPS and its distribution, each
//! question's average or counts, and the text answers, overall and per department. A group with
//! fewer answers than the survey's minimum shows nothing but that there are not enough answers.
//! Nothing here carries a person, a time or an order of answering: text answers are sorted.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tandem_domain::survey::{Answer, Question, net_promoter_score};
use tandem_domain::{Principal, QuestionKind, SurveyAudience, SurveyId, SurveyKind, TeamId};
use tandem_store::surveys::{self, ResponseRow};
use tandem_store::{Conn, teams};

use super::define::{RoundView, require_reader, round_view};
use crate::tickets::NamedRef;
use crate::{App, AppError};

#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ResultsQuery {
    /// The round's number (default: the latest).
    pub round: Option<i64>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SurveyResults {
    pub survey_id: SurveyId,
    pub kind: SurveyKind,
    pub title: String,
    /// `None` before the first round.
    pub round: Option<RoundView>,
    pub min_group: i64,
    /// The whole audience's results, or `not_enough_answers`.
    pub overall: GroupResults,
    /// Per department (employee surveys), each on its own shown only from `min_group` answers.
    pub departments: Vec<DepartmentResults>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DepartmentResults {
    /// `None`: employees with no department.
    pub department: Option<NamedRef>,
    pub results: GroupResults,
}

/// One group's results; everything but `not_enough_answers` is absent below the minimum size.
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct GroupResults {
    pub not_enough_answers: bool,
    /// What a reader is told instead of results.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub responses: Option<i64>,
    /// NPS (customers) or eNPS (employees): percent promoters minus percent detractors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promoters: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passives: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detractors: Option<i64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<QuestionResults>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct QuestionResults {
    pub question: usize,
    pub kind: QuestionKind,
    pub text: String,
    pub answers: i64,
    /// Scales: the average answer, two decimals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub average: Option<f64>,
    /// Scales: how many gave each value (from the lowest); choices: each option's count.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub distribution: Vec<Count>,
    /// Text questions: the answers, sorted (never in the order they came).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub texts: Vec<String>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Count {
    pub label: String,
    pub count: i64,
}

impl App {
    pub async fn survey_results(
        &self,
        principal: &Principal,
        id: SurveyId,
        query: ResultsQuery,
    ) -> Result<SurveyResults, AppError> {
        require_reader(principal)?;
        let mut reader = self.store().read().await?;
        let survey = surveys::get(reader.conn(), id).await?.ok_or(AppError::NotFound("survey"))?;
        let round = match query.round {
            Some(number) => Some(
                surveys::round_numbered(reader.conn(), id, number).await?.ok_or(AppError::NotFound("survey round"))?,
            ),
            None => surveys::rounds(reader.conn(), id, 1).await?.into_iter().next(),
        };
        let (responses, questions) = match &round {
            Some(round) => (surveys::responses(reader.conn(), round.id).await?, round.questions.0.clone()),
            None => (Vec::new(), survey.questions.0.clone()),
        };
        let overall = group_results(&questions, &responses.iter().collect::<Vec<_>>(), survey.min_group);
        let departments = if survey.audience == SurveyAudience::External {
            Vec::new()
        } else {
            by_department(reader.conn(), &questions, &responses, survey.min_group).await?
        };
        Ok(SurveyResults {
            survey_id: survey.id,
            kind: survey.kind,
            title: survey.title,
            round: round.map(round_view),
            min_group: survey.min_group,
            overall,
            departments,
        })
    }
}

async fn by_department(
    mut conn: Conn<'_>,
    questions: &[Question],
    responses: &[ResponseRow],
    min_group: i64,
) -> Result<Vec<DepartmentResults>, AppError> {
    let mut groups: BTreeMap<Option<TeamId>, Vec<&ResponseRow>> = BTreeMap::new();
    for response in responses {
        groups.entry(response.department_id).or_default().push(response);
    }
    let mut departments = Vec::with_capacity(groups.len());
    for (id, group) in groups {
        let department = match id {
            Some(id) => teams::get(conn.reborrow(), id).await?.map(|team| NamedRef {
                id: team.id.0,
                slug: Some(team.slug),
                name: team.name,
            }),
            None => None,
        };
        departments.push(DepartmentResults { department, results: group_results(questions, &group, min_group) });
    }
    departments.sort_by(|a, b| a.department.as_ref().map(|d| &d.name).cmp(&b.department.as_ref().map(|d| &d.name)));
    Ok(departments)
}

/// One group's results, or only `not_enough_answers` below the minimum size.
fn group_results(questions: &[Question], responses: &[&ResponseRow], min_group: i64) -> GroupResults {
    let count = responses.len() as i64;
    if count < min_group {
        return GroupResults {
            not_enough_answers: true,
            message: Some(format!("Not enough answers: results are shown from {min_group} answers.")),
            ..GroupResults::default()
        };
    }
    let scores: Vec<i64> = responses.iter().map(|response| response.score).collect();
    let answers: Vec<&Answer> = responses.iter().flat_map(|response| response.answers.0.iter()).collect();
    GroupResults {
        not_enough_answers: false,
        message: None,
        responses: Some(count),
        score: net_promoter_score(&scores),
        promoters: Some(scores.iter().filter(|&&score| score >= 9).count() as i64),
        passives: Some(scores.iter().filter(|&&score| (7..=8).contains(&score)).count() as i64),
        detractors: Some(scores.iter().filter(|&&score| score <= 6).count() as i64),
        questions: questions
            .iter()
            .enumerate()
            .map(|(index, question)| {
                let given: Vec<&Answer> = answers.iter().copied().filter(|answer| answer.question == index).collect();
                question_results(index, question, &given)
            })
            .collect(),
    }
}

fn question_results(index: usize, question: &Question, answers: &[&Answer]) -> QuestionResults {
    let numbers: Vec<i64> = answers.iter().filter_map(|answer| answer.number).collect();
    let texts = || answers.iter().filter_map(|answer| answer.text.clone());
    let count_of = |label: String, count: usize| Count { label, count: count as i64 };
    let (average, distribution, texts) = match question.kind {
        QuestionKind::Scale0To10 | QuestionKind::Scale1To5 => {
            let low = if question.kind == QuestionKind::Scale1To5 { 1 } else { 0 };
            let high = if question.kind == QuestionKind::Scale1To5 { 5 } else { 10 };
            let average = (!numbers.is_empty())
                .then(|| (numbers.iter().sum::<i64>() as f64 / numbers.len() as f64 * 100.0).round() / 100.0);
            let distribution = (low..=high)
                .map(|value| count_of(value.to_string(), numbers.iter().filter(|&&n| n == value).count()))
                .collect();
            (average, distribution, Vec::new())
        }
        QuestionKind::Choice => {
            let given: Vec<String> = texts().collect();
            let distribution = question
                .choices
                .iter()
                .map(|choice| count_of(choice.clone(), given.iter().filter(|text| *text == choice).count()))
                .collect();
            (None, distribution, Vec::new())
        }
        QuestionKind::Text => {
            let mut sorted: Vec<String> = texts().collect();
            sorted.sort();
            (None, Vec::new(), sorted)
        }
    };
    QuestionResults {
        question: index,
        kind: question.kind,
        text: question.text.clone(),
        answers: answers.len() as i64,
        average,
        distribution,
        texts,
    }
}
