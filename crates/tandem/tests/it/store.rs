//! The storage layer's own story, on SQLite and PostgreSQL alike: every aggregate's writes and
//! reads, the conditional writes that decide races, keyset pages, and errors mapped the same way.

use serde_json::Map;
use tandem_domain::person::Assignment;
use tandem_domain::{
    Audience, Channel, FormDef, MessageVisibility, PersonKind, Priority, TeamKind, TicketAudience, TicketStatus,
};
use tandem_store::idempotency::{self, Recorded};
use tandem_store::messages::{self, NewMessage};
use tandem_store::people::{self, PersonFields, PersonFilter};
use tandem_store::services::{self, ServiceFields};
use tandem_store::teams::{self, TeamFields};
use tandem_store::ticket_list::{self, CustomerScope};
use tandem_store::tickets::{self, NewTicket};
use tandem_store::tokens::{self, TokenKind};
use tandem_store::{Cursor, StoreError, TicketFilter, attachments, events, login_failures};
use tandem_testkit::TestDb;

use super::*;

async fn add_person(tx: &mut tandem_store::Tx, email: &str, name: &str, kind: PersonKind) -> people::PersonRow {
    let fields = PersonFields::new(email, name, kind);
    people::insert_if_absent(tx.conn(), &fields, None, 1).await.unwrap().expect("a new person")
}

fn ticket(subject: &str, requester: tandem_domain::PersonId, team: tandem_domain::TeamId) -> NewTicket {
    NewTicket {
        subject: subject.into(),
        status: TicketStatus::New,
        priority: Priority::Normal,
        audience: TicketAudience::External,
        channel: Channel::Api,
        requester_id: requester,
        recipient_id: None,
        organization_id: None,
        service_id: None,
        team_id: team,
        assignee_id: None,
        tags: vec!["vip".into()],
        fields: Map::new(),
    }
}

test_both!(
    async fn people_teams_and_services(backend: TestBackend) {
        let db = TestDb::new(backend).await;
        let mut tx = db.store.begin().await.unwrap();
        let erin = add_person(&mut tx, "erin@example.com", "Erin", PersonKind::External).await;
        let twin = PersonFields::new("erin@example.com", "Erin 2", PersonKind::External);
        let again = people::insert_if_absent(tx.conn(), &twin, None, 2).await.unwrap();
        assert!(again.is_none(), "one email is one person");
        let mut changed = erin.fields.clone();
        changed.name = "Erin Example".into();
        assert!(people::update(tx.conn(), erin.id, erin.version, &changed, 3).await.unwrap());
        assert!(!people::update(tx.conn(), erin.id, erin.version, &changed, 4).await.unwrap(), "stale version");
        let team_fields = |slug: &str| TeamFields {
            slug: slug.into(),
            name: slug.into(),
            kind: TeamKind::Team,
            parent_id: None,
            is_provider: true,
            assignment: Assignment::Queue,
        };
        let care = teams::insert(tx.conn(), &team_fields("care"), 1).await.unwrap();
        tx.commit().await.unwrap();
        // A failed statement ends the transaction's usefulness (PostgreSQL aborts it): the app
        // always returns on a store error and lets the transaction roll back.
        let mut tx = db.store.begin().await.unwrap();
        let duplicate = teams::insert(tx.conn(), &team_fields("care"), 1).await;
        assert!(matches!(duplicate, Err(StoreError::Conflict(_))), "{duplicate:?}");
        drop(tx);

        let mut tx = db.store.begin().await.unwrap();
        let service = ServiceFields {
            slug: "order-problem".into(),
            name: "Order problem".into(),
            description: String::new(),
            team_id: care.id,
            audience: Audience::External,
            default_priority: Priority::High,
            form: FormDef::default(),
            active: true,
        };
        let stored = services::insert(tx.conn(), &service, 1).await.unwrap();
        assert!(services::update(tx.conn(), stored.id, stored.version + 1, &service, 2).await.unwrap().is_none());
        let orphan = ServiceFields { slug: "orphan".into(), team_id: tandem_domain::TeamId(9_999), ..service };
        let missing = services::insert(tx.conn(), &orphan, 1).await;
        assert!(matches!(missing, Err(StoreError::MissingReference(_))), "{missing:?}");
        drop(tx); // rolled back: neither the failed insert nor the rest of this transaction remains

        let mut reader = db.store.read().await.unwrap();
        assert!(services::get_by_slug(reader.conn(), "order-problem").await.unwrap().is_none(), "rolled back");
        let found = people::get_by_email(reader.conn(), "erin@example.com").await.unwrap().unwrap();
        assert_eq!((found.fields.name.as_str(), found.version), ("Erin Example", 2));
        let filter = PersonFilter { prefix: Some("eri".into()), ..PersonFilter::default() };
        assert_eq!(people::list(reader.conn(), &filter, 10).await.unwrap().len(), 1);
        let filter = PersonFilter { prefix: Some("%".into()), ..PersonFilter::default() };
        assert!(people::list(reader.conn(), &filter, 10).await.unwrap().is_empty(), "LIKE wildcards are escaped");
    }
);

test_both!(
    async fn tickets_versions_takes_and_pages(backend: TestBackend) {
        let db = TestDb::new(backend).await;
        let mut tx = db.store.begin().await.unwrap();
        let erin = add_person(&mut tx, "erin@example.com", "Erin", PersonKind::External).await;
        let casey = add_person(&mut tx, "casey@x.example", "Casey", PersonKind::Employee).await;
        let team = TeamFields {
            slug: "care".into(),
            name: "Care".into(),
            kind: TeamKind::Team,
            parent_id: None,
            is_provider: true,
            assignment: Assignment::Queue,
        };
        let care = teams::insert(tx.conn(), &team, 1).await.unwrap();
        let mut ids = Vec::new();
        for n in 0..12 {
            ids.push(
                tickets::insert(tx.conn(), &ticket(&format!("ticket {n}"), erin.id, care.id), 100 + n % 4)
                    .await
                    .unwrap(),
            );
        }
        tx.commit().await.unwrap();

        let mut tx = db.store.begin().await.unwrap();
        let first = tickets::get(tx.conn(), ids[0]).await.unwrap().unwrap();
        assert!(tickets::lock(tx.conn(), ids[0]).await.unwrap());
        assert!(!tickets::lock(tx.conn(), tandem_domain::TicketId(987_654)).await.unwrap());
        let mut state = first.state();
        state.status = TicketStatus::Open;
        state.tags = vec!["gold".into()];
        assert_eq!(tickets::update(tx.conn(), first.id, first.version, &state, 200).await.unwrap(), Some(2));
        assert_eq!(tickets::update(tx.conn(), first.id, first.version, &state, 201).await.unwrap(), None, "stale");
        tickets::replace_tags(tx.conn(), first.id, &state.tags).await.unwrap();
        assert!(tickets::take(tx.conn(), ids[1], casey.id, 202).await.unwrap().is_some());
        assert!(tickets::take(tx.conn(), ids[1], erin.id, 203).await.unwrap().is_none(), "already taken");
        assert!(tickets::add_follower(tx.conn(), ids[2], casey.id).await.unwrap());
        assert!(!tickets::add_follower(tx.conn(), ids[2], casey.id).await.unwrap());
        tx.commit().await.unwrap();

        let mut reader = db.store.read().await.unwrap();
        let gold = TicketFilter { tag: Some("gold".into()), ..TicketFilter::default() };
        let found = ticket_list::list(reader.conn(), &gold, 10).await.unwrap();
        assert_eq!(found.iter().map(|t| t.id).collect::<Vec<_>>(), [ids[0]]);
        let vip = TicketFilter { tag: Some("vip".into()), ..TicketFilter::default() };
        assert_eq!(ticket_list::list(reader.conn(), &vip, 100).await.unwrap().len(), 11, "old tag rows replaced");
        let mine = TicketFilter { assignee_id: Some(casey.id), ..TicketFilter::default() };
        assert_eq!(ticket_list::list(reader.conn(), &mine, 10).await.unwrap().len(), 1);
        let followed = TicketFilter {
            customer_scope: Some(CustomerScope { person_id: casey.id, organization_id: None }),
            ..TicketFilter::default()
        };
        assert_eq!(ticket_list::list(reader.conn(), &followed, 10).await.unwrap()[0].id, ids[2]);

        // Keyset pages of 5 over tickets sharing timestamps: each ticket once, newest first.
        let mut seen = Vec::new();
        let mut filter = TicketFilter::default();
        loop {
            let page = ticket_list::list(reader.conn(), &filter, 5).await.unwrap();
            let Some(last) = page.last() else { break };
            filter.after = Some(Cursor { updated_at: last.updated_at, id: last.id });
            seen.extend(page.iter().map(|t| (t.updated_at, t.id)));
        }
        let mut expected = seen.clone();
        expected.sort_by(|a, b| b.cmp(a));
        assert_eq!(seen, expected);
        assert_eq!(seen.len(), 12);
    }
);

test_both!(
    async fn conversation_attachments_and_the_trail(backend: TestBackend) {
        let db = TestDb::new(backend).await;
        let mut tx = db.store.begin().await.unwrap();
        let erin = add_person(&mut tx, "erin@example.com", "Erin", PersonKind::External).await;
        let team = TeamFields {
            slug: "care".into(),
            name: "Care".into(),
            kind: TeamKind::Team,
            parent_id: None,
            is_provider: true,
            assignment: Assignment::Queue,
        };
        let care = teams::insert(tx.conn(), &team, 1).await.unwrap();
        let one = tickets::insert(tx.conn(), &ticket("one", erin.id, care.id), 1).await.unwrap();
        let two = tickets::insert(tx.conn(), &ticket("two", erin.id, care.id), 1).await.unwrap();
        let message = |visibility, body: &str| NewMessage {
            ticket_id: one,
            author_id: Some(erin.id),
            visibility,
            channel: Channel::Web,
            body: body.into(),
        };
        let public = messages::insert(tx.conn(), &message(MessageVisibility::Public, "hello"), 2).await.unwrap();
        messages::insert(tx.conn(), &message(MessageVisibility::Internal, "psst"), 3).await.unwrap();
        let upload = |filename| attachments::NewAttachment {
            uploader_id: erin.id,
            filename,
            content_type: "text/plain",
            sha256: "abc123",
            data: b"same bytes",
        };
        let first = attachments::insert(tx.conn(), &upload("a.txt"), 4).await.unwrap();
        let second = attachments::insert(tx.conn(), &upload("b.txt"), 4).await.unwrap();
        assert_eq!(attachments::claim(tx.conn(), &[first.id], care_stranger(), public).await.unwrap(), 0);
        assert_eq!(attachments::claim(tx.conn(), &[first.id, second.id], erin.id, public).await.unwrap(), 2);
        assert_eq!(attachments::claim(tx.conn(), &[first.id], erin.id, public).await.unwrap(), 0, "claimed once");
        events::append(tx.conn(), one, Some(erin.id), "created", &json!({"n": 1}), 5).await.unwrap();
        let recorded = Recorded { fingerprint: "f".into(), resource_kind: "ticket".into(), resource_id: one.0 };
        idempotency::record(tx.conn(), erin.id, "key-1", &recorded, 6).await.unwrap();
        tx.commit().await.unwrap();

        let mut tx = db.store.begin().await.unwrap();
        let twice = idempotency::record(tx.conn(), erin.id, "key-1", &recorded, 6).await;
        assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
        drop(tx);

        let mut tx = db.store.begin().await.unwrap();
        assert_eq!(messages::move_all(tx.conn(), one, two).await.unwrap(), 2);
        tx.commit().await.unwrap();

        let mut reader = db.store.read().await.unwrap();
        let customer = messages::page(reader.conn(), two, false, None, 10).await.unwrap();
        assert_eq!(customer.iter().map(|row| row.message.body.as_str()).collect::<Vec<_>>(), ["hello"]);
        // The page says which messages have attachments: the public one has two, the note none.
        let page = messages::page(reader.conn(), two, true, None, 10).await.unwrap();
        let flags: Vec<(&str, bool)> = page.iter().map(|row| (row.message.body.as_str(), row.has_files)).collect();
        assert_eq!(flags, [("hello", true), ("psst", false)]);
        let after_first = messages::page(reader.conn(), two, true, Some(page[0].message.id), 10).await.unwrap();
        assert_eq!(after_first.iter().map(|row| row.message.body.as_str()).collect::<Vec<_>>(), ["psst"]);
        let files = attachments::for_messages(reader.conn(), &[public]).await.unwrap();
        assert_eq!(files.len(), 2);
        let place = attachments::get(reader.conn(), first.id).await.unwrap().unwrap();
        assert_eq!((place.ticket_id, place.visibility), (Some(two), Some(MessageVisibility::Public)));
        assert_eq!(attachments::content(reader.conn(), "abc123").await.unwrap(), b"same bytes");
        let trail = events::list(reader.conn(), one, None, 10).await.unwrap();
        assert_eq!((trail.len(), trail[0].kind.as_str(), trail[0].data.0["n"].as_i64()), (1, "created", Some(1)));
    }
);

/// A person id that exists nowhere: claims by them must claim nothing.
fn care_stranger() -> tandem_domain::PersonId {
    tandem_domain::PersonId(123_456)
}

test_both!(
    async fn tokens_and_login_failures(backend: TestBackend) {
        let db = TestDb::new(backend).await;
        let mut tx = db.store.begin().await.unwrap();
        let erin = add_person(&mut tx, "erin@example.com", "Erin", PersonKind::External).await;
        tokens::insert(tx.conn(), erin.id, "hash-api", "cli", TokenKind::Api, 1, None).await.unwrap();
        tokens::insert(tx.conn(), erin.id, "hash-session", "web", TokenKind::Session, 1, Some(100)).await.unwrap();
        for at in [10, 20, 30] {
            login_failures::record(tx.conn(), "erin@example.com", at).await.unwrap();
        }
        tx.commit().await.unwrap();

        let mut reader = db.store.read().await.unwrap();
        let owner = tokens::owner(reader.conn(), "hash-api", 1_000).await.unwrap().unwrap();
        assert_eq!(owner.person.fields.email, "erin@example.com");
        assert!(tokens::owner(reader.conn(), "hash-session", 99).await.unwrap().is_some());
        assert!(tokens::owner(reader.conn(), "hash-session", 100).await.unwrap().is_none(), "expired");
        assert_eq!(login_failures::count_since(reader.conn(), "erin@example.com", 15).await.unwrap(), 2);
        drop(reader);

        let mut tx = db.store.begin().await.unwrap();
        assert!(tokens::revoke(tx.conn(), "hash-api", 2_000).await.unwrap());
        assert!(!tokens::revoke(tx.conn(), "hash-api", 2_001).await.unwrap(), "revoked once");
        login_failures::clear(tx.conn(), "erin@example.com", 0).await.unwrap();
        tx.commit().await.unwrap();
        let mut reader = db.store.read().await.unwrap();
        assert!(tokens::owner(reader.conn(), "hash-api", 2_002).await.unwrap().is_none());
        assert_eq!(login_failures::count_since(reader.conn(), "erin@example.com", 0).await.unwrap(), 0);
    }
);
