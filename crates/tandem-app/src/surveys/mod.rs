//! NPS and pulse surveys: admins define them (`define.rs`), rounds go out by deduplicated jobs
//! (`rounds.rs`), people answer through signed links that also carry CSAT rating requests
//! (`links.rs`), and admins and leads read results that hide groups below the minimum size
//! (`results.rs`). Employees' answers are stored without the person. See docs/designs/surveys.md.

mod define;
pub(crate) mod links;
mod results;
pub(crate) mod rounds;

use tandem_domain::Millis;

pub use define::{RoundView, SurveyDetail, SurveyInput, SurveyView};
pub use links::{AnswersInput, LinkKind, SurveyLinkView};
pub use results::{Count, DepartmentResults, GroupResults, QuestionResults, ResultsQuery, SurveyResults};
pub use rounds::{OpenDueSurveys, SendSurveyRound};

const DAY_MS: Millis = 24 * 3_600_000;
