//! The demo's help articles: public ones for Harbor Coffee's customers (shipping, returns,
//! descaling, wholesale), employee ones for its staff (leave, VPN, passwords, expenses), one for
//! agents only (refund guidelines); one published article with a draft pending, and a few
//! deflections and reactions so the console's counts are not all zero.

use std::collections::HashMap;

use tandem_domain::{ArticleAudience, Principal, Reaction};

use super::Builder;
use crate::AppError;
use crate::articles::{ArticleInput, CategoryInput, DeflectionInput, ReactionInput};

/// Category slug, name and line.
const CATEGORIES: &[(&str, &str, &str)] = &[
    ("orders", "Orders and shipping", "Delivery times, returns and wholesale orders"),
    ("machines", "Coffee machines", "Looking after your espresso machine and grinder"),
    ("it", "IT how-tos", "Laptops, tills, VPN and passwords"),
    ("people", "People and policies", "Leave, expenses and the staff handbook"),
    ("care-playbook", "Customer Care playbook", "How Customer Care handles the hard cases"),
];

/// Author (an agent of the owning team), category, audience, title, Markdown body.
type Article = (&'static str, &'static str, ArticleAudience, &'static str, &'static str);

const ARTICLES: &[Article] = &[
    (
        "casey@harbor.example",
        "orders",
        ArticleAudience::Public,
        "Shipping times and costs",
        "We roast on Mondays and Thursdays and ship the next working day.\n\n| Where | Time | Cost |\n|---|---|---|\n| Mainland | 2–3 days | free over €40, else €4.90 |\n| Islands | 4–6 days | €9.90 |\n\nYou get a tracking link by email as soon as the parcel leaves the roastery.",
    ),
    (
        "casey@harbor.example",
        "orders",
        ArticleAudience::Public,
        "Returning an order",
        "Unopened beans and equipment can be returned within **30 days**.\n\n1. Open your order in *My requests* or write to care@harbor.example with the order number.\n2. We email you a prepaid return label.\n3. Your refund reaches your card within 5 working days of the parcel arriving.\n\nA broken or faulty machine? Tell us first: we replace it without a return when we can.",
    ),
    (
        "casey@harbor.example",
        "machines",
        ArticleAudience::Public,
        "How to descale your espresso machine",
        "Descale every two months (monthly with hard water) to keep the boiler and the taste right.\n\n1. Dissolve one sachet of descaler in a litre of water and fill the tank.\n2. Run half the tank through the group head and half through the steam wand.\n3. Leave it for 20 minutes, then rinse with two full tanks of fresh water.\n\nNever use vinegar: it damages the seals. See also [Returning an order](/help/returning-an-order) if the pump stays noisy.",
    ),
    (
        "casey@harbor.example",
        "orders",
        ArticleAudience::Public,
        "Placing a wholesale order",
        "Cafés and offices buy beans by the 5 kg bag at wholesale prices.\n\n- Minimum order: 10 kg a month.\n- Ask for an account on the portal (service *Wholesale enquiry*) or at wholesale@harbor.example.\n- Invoices are monthly, payable in 30 days.",
    ),
    (
        "hana@harbor.example",
        "people",
        ArticleAudience::Employees,
        "Annual leave policy",
        "Everyone gets **25 days** of paid leave a year plus public holidays; part-timers pro rata.\n\n- Ask your manager at least two weeks ahead for a week or more.\n- Up to five unused days carry over to March 31 of the next year.\n- Sick days are not leave: tell your manager on the day.",
    ),
    (
        "ivan@harbor.example",
        "it",
        ArticleAudience::Employees,
        "Setting up the VPN",
        "You need the VPN to reach the stock system and the shared drive from outside a store.\n\n1. Install *WireGuard* from the company portal.\n2. Import the profile IT emailed you (`harbor-<yourname>.conf`).\n3. Switch it on; the stock system opens at `https://stock.harbor.internal`.\n\nNo profile? Ask on the portal with the service *Till or laptop problem*.",
    ),
    (
        "ivan@harbor.example",
        "it",
        ArticleAudience::Employees,
        "Resetting your password",
        "Forgot your password or locked out after five tries?\n\n1. Go to `https://id.harbor.internal/reset` from a store till or your phone.\n2. Enter your work email; the reset link arrives by text message.\n3. Choose a new password of at least 12 characters.\n\nStill locked out after 15 minutes: ask IT on the portal.",
    ),
    (
        "ada@harbor.example",
        "people",
        ArticleAudience::Employees,
        "Claiming expenses",
        "Claim what you paid for work within **60 days**.\n\n- Photograph each receipt and attach it to an *Expense claim* on the portal.\n- Mileage is paid at €0.30 per km.\n- Claims approved by the 20th are paid with that month's salary.",
    ),
    (
        "casey@harbor.example",
        "care-playbook",
        ArticleAudience::Agents,
        "Refund guidelines",
        "For agents only.\n\n- Refund without asking up to **€50** when a parcel is late by more than a week or arrived damaged.\n- Above €50, or a second refund in 90 days: ask the team lead in an internal note.\n- Double card charges: always refund at once and link the ticket to the open payments incident, if there is one.",
    ),
];

pub(super) async fn build_articles(
    builder: &Builder,
    people: &HashMap<&'static str, Principal>,
) -> Result<(), AppError> {
    let app = builder.app();
    let mut categories = HashMap::new();
    for (slug, name, description) in CATEGORIES {
        let input = CategoryInput { slug: (*slug).into(), name: (*name).into(), description: (*description).into() };
        categories.insert(*slug, app.create_article_category(builder.admin(), input, builder.now).await?.id);
    }
    let mut ids = HashMap::new();
    for (author, category, audience, title, body) in ARTICLES {
        let author = &people[author];
        let input = ArticleInput {
            title: (*title).into(),
            category_id: categories[category],
            audience: *audience,
            team_id: author.memberships[0].team_id,
            body: (*body).into(),
            slug: None,
        };
        let article = app.create_article(author, input, builder.now).await?;
        app.publish_article(author, article.id, builder.now).await?;
        ids.insert(*title, article.id);
    }
    draft_pending(builder, people, &ids).await?;
    readers(builder, people, &ids).await
}

/// Casey is rewriting the shipping article for the holidays: readers still see the old one.
async fn draft_pending(
    builder: &Builder,
    people: &HashMap<&'static str, Principal>,
    ids: &HashMap<&'static str, tandem_domain::ArticleId>,
) -> Result<(), AppError> {
    let casey = &people["casey@harbor.example"];
    let id = ids["Shipping times and costs"];
    let current = builder.app().get_article(Some(casey), id).await?;
    let published = current.published.ok_or(AppError::NotFound("published article"))?;
    let input = ArticleInput {
        title: "Shipping times and costs (holidays)".into(),
        category_id: published.category.id,
        audience: published.audience,
        team_id: casey.memberships[0].team_id,
        body: format!("{}\n\nBetween December 18 and January 2 allow two extra days.", published.body),
        slug: None,
    };
    builder.app().update_article(casey, id, current.version, input, builder.now).await?;
    Ok(())
}

/// Erin and Bea found their answers before asking; a few readers said what they thought.
async fn readers(
    builder: &Builder,
    people: &HashMap<&'static str, Principal>,
    ids: &HashMap<&'static str, tandem_domain::ArticleId>,
) -> Result<(), AppError> {
    let app = builder.app();
    let deflections = [
        ("erin@example.com", "How to descale your espresso machine", "order-problem"),
        ("olga@bayside.example", "Placing a wholesale order", "order-problem"),
        ("bea@harbor.example", "Resetting your password", "till-or-laptop"),
        ("sam@harbor.example", "Setting up the VPN", "till-or-laptop"),
    ];
    for (email, title, service) in deflections {
        let input = DeflectionInput { service: Some(service.into()) };
        app.record_deflection(&people[email], ids[title], input, builder.now).await?;
    }
    let reactions = [
        ("erin@example.com", "How to descale your espresso machine", Reaction::Awesome),
        ("olga@bayside.example", "Placing a wholesale order", Reaction::Useful),
        ("bea@harbor.example", "Setting up the VPN", Reaction::Useful),
        ("sam@harbor.example", "Annual leave policy", Reaction::Boring),
    ];
    for (email, title, reaction) in reactions {
        app.react_to_article(&people[email], ids[title], ReactionInput { reaction }, builder.now).await?;
    }
    Ok(())
}
