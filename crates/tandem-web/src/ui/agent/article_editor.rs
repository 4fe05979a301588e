//! The article editor: `GET/POST /agent/articles/new` writes a new article (a draft),
//! `GET/POST /agent/articles/{id}` shows and saves its draft (the published copy stays what
//! readers see), `POST /agent/articles/{id}/publish` publishes it. Beside the form: the draft
//! rendered as readers will see it, what readers made of the article, and its versions.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tandem_app::AppError;
use tandem_app::articles::{ArticleInput, ArticleView, VersionOut};
use tandem_domain::{ArticleAudience, ArticleCategoryId, ArticleId, TeamId};

use super::format::Choice;
use super::require_staff;
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

#[derive(Template)]
#[template(path = "agent_article.html")]
struct EditorPage {
    layout: Layout,
    /// `None` for a new article.
    article: Option<ArticleView>,
    form: ArticleForm,
    teams: Vec<Choice>,
    categories: Vec<Choice>,
    audiences: Vec<Choice>,
    /// The draft (or else the published copy) rendered as readers will see it.
    preview_html: String,
    versions: Vec<VersionOut>,
}

/// The form as drawn, or as the editor left it after a refusal.
#[derive(Debug, Default, Deserialize)]
pub struct ArticleForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    category_id: String,
    #[serde(default)]
    audience: String,
    #[serde(default)]
    team_id: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    version: i64,
    #[serde(skip)]
    errors: Vec<String>,
}

impl ArticleForm {
    fn input(&self) -> Result<ArticleInput, String> {
        let number = |text: &str, what: &str| text.parse::<i64>().map_err(|_| format!("Choose a {what}."));
        Ok(ArticleInput {
            title: self.title.clone(),
            category_id: ArticleCategoryId(number(&self.category_id, "category")?),
            audience: self.audience.parse::<ArticleAudience>().map_err(|_| "Choose who may read it.".to_owned())?,
            team_id: TeamId(number(&self.team_id, "team")?),
            body: self.body.clone(),
            slug: Some(self.slug.trim().to_owned()).filter(|slug| !slug.is_empty()),
        })
    }

    /// The form filled with the article's newest version.
    fn of(article: &ArticleView) -> ArticleForm {
        let content = article.draft.as_ref().or(article.published.as_ref());
        ArticleForm {
            title: content.map(|content| content.title.clone()).unwrap_or_default(),
            category_id: content.map(|content| content.category.id.to_string()).unwrap_or_default(),
            audience: content.map(|content| content.audience.to_string()).unwrap_or_default(),
            team_id: article.team.id.to_string(),
            body: content.map(|content| content.body.clone()).unwrap_or_default(),
            slug: article.slug.clone(),
            version: article.version,
            errors: Vec::new(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowParams {
    #[serde(default)]
    done: String,
}

pub async fn new_form(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let form = ArticleForm { audience: "public".into(), ..ArticleForm::default() };
    page(&state, &viewer, StatusCode::OK, None, form, None).await
}

pub async fn create(
    State(state): State<AppState>,
    VerifiedForm { viewer, form }: VerifiedForm<ArticleForm>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let created = match form.input() {
        Ok(input) => state.app.create_article(&viewer.principal, input, crate::now()).await,
        Err(message) => return refused(&state, &viewer, None, form, message).await,
    };
    match created {
        Ok(article) => Ok(Redirect::to(&format!("/agent/articles/{}?done=saved", article.id)).into_response()),
        Err(error @ AppError::Invalid(_)) => refused(&state, &viewer, None, form, error.to_string()).await,
        Err(error) => Err(error.into()),
    }
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(params): Query<ShowParams>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let article = editable(&state, &viewer, &id).await?;
    let notice = match params.done.as_str() {
        "saved" => Some("Draft saved. Readers still see the published version until you publish.".to_owned()),
        "published" => Some("Published: readers now see this version.".to_owned()),
        "drafted" => Some("A draft was made from the message. Check it, then publish.".to_owned()),
        _ => None,
    };
    let form = ArticleForm::of(&article);
    page(&state, &viewer, StatusCode::OK, Some(article), form, notice).await
}

pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<ArticleForm>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let article = editable(&state, &viewer, &id).await?;
    let saved = match form.input() {
        Ok(input) => state.app.update_article(&viewer.principal, article.id, form.version, input, crate::now()).await,
        Err(message) => return refused(&state, &viewer, Some(article), form, message).await,
    };
    match saved {
        Ok(article) => Ok(Redirect::to(&format!("/agent/articles/{}?done=saved", article.id)).into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            refused(&state, &viewer, Some(article), form, error.to_string()).await
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn publish(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form: _ }: VerifiedForm<serde::de::IgnoredAny>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let id = article_id(&id)?;
    state.app.publish_article(&viewer.principal, id, crate::now()).await?;
    Ok(Redirect::to(&format!("/agent/articles/{id}?done=published")).into_response())
}

/// The article, as long as the viewer may edit it: a reader who may not is refused like the API.
async fn editable(state: &AppState, viewer: &Viewer, id: &str) -> Result<ArticleView, UiError> {
    let article = state.app.get_article(Some(&viewer.principal), article_id(id)?).await?;
    if article.can_edit {
        Ok(article)
    } else {
        Err(UiError::Forbidden(format!("only {} and admins edit this article", article.team.name)))
    }
}

fn article_id(raw: &str) -> Result<ArticleId, UiError> {
    raw.parse::<i64>().map(ArticleId).map_err(|_| UiError::NotFound)
}

async fn refused(
    state: &AppState,
    viewer: &Viewer,
    article: Option<ArticleView>,
    mut form: ArticleForm,
    message: String,
) -> Result<Response, UiError> {
    form.errors.push(message);
    page(state, viewer, StatusCode::UNPROCESSABLE_ENTITY, article, form, None).await
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    article: Option<ArticleView>,
    form: ArticleForm,
    notice: Option<String>,
) -> Result<Response, UiError> {
    let principal = &viewer.principal;
    let (teams, categories) = tokio::try_join!(state.app.list_teams(principal), state.app.list_article_categories())?;
    let versions = match &article {
        Some(article) => state.app.list_article_versions(principal, article.id).await?,
        None => Vec::new(),
    };
    let mine = teams.into_iter().filter(|team| principal.is_admin || principal.is_member_of(team.id));
    let teams = mine.map(|team| Choice::new(team.id.to_string(), team.name, &form.team_id)).collect();
    let categories = categories
        .into_iter()
        .map(|category| Choice::new(category.id.to_string(), category.name, &form.category_id))
        .collect();
    let audiences = [("public", "Everyone (public)"), ("employees", "Employees"), ("agents", "Agents only")]
        .into_iter()
        .map(|(value, label)| Choice::new(value, label, &form.audience))
        .collect();
    let preview_html = article
        .as_ref()
        .and_then(|article| article.draft.as_ref().or(article.published.as_ref()))
        .map(|content| content.body_html.clone())
        .unwrap_or_default();
    let page = EditorPage {
        layout: Layout::for_viewer(viewer, "articles").with_notice(notice),
        article,
        form,
        teams,
        categories,
        audiences,
        preview_html,
        versions,
    };
    Ok((status, html(&page)).into_response())
}
