//! The demo's tickets: what Harbor Coffee's customers and employees asked, and what happened since
//! (agents taking, replying, noting, waiting, solving). Played in order by `demo.rs`.

use serde_json::{Value, json};
use tandem_domain::TicketStatus;

/// One demo request and what happened to it since.
pub(super) struct Story {
    pub requester: &'static str,
    pub service: &'static str,
    pub subject: &'static str,
    pub body: &'static str,
    pub fields: fn() -> Value,
    pub hours_ago: i64,
    pub steps: &'static [Step],
}

pub(super) enum Step {
    Take,
    Reply(&'static str),
    Note(&'static str),
    Customer(&'static str),
    Set(TicketStatus),
    /// The agent asks another team through the chain (the ticket waits on it); the request's own
    /// story follows, played by an agent of that team with the asking agent as its requester.
    Ask(&'static Request),
    /// The requester rates the solved ticket: 1–5 and a comment.
    Rated(i64, &'static str),
}

/// An internal request in the chain and what happened to it.
pub(super) struct Request {
    pub service: &'static str,
    pub subject: &'static str,
    pub body: &'static str,
    pub fields: fn() -> Value,
    pub steps: &'static [Step],
}

/// The tickets a story opens: its own and every request its chain asked for.
pub(super) const fn tickets_in(steps: &[Step]) -> usize {
    let mut count = 0;
    let mut index = 0;
    while index < steps.len() {
        if let Step::Ask(request) = &steps[index] {
            count += 1 + tickets_in(request.steps);
        }
        index += 1;
    }
    count
}

/// Every ticket the demo opens.
pub(super) const fn demo_tickets() -> usize {
    let mut count = 0;
    let mut index = 0;
    while index < STORIES.len() {
        count += 1 + tickets_in(STORIES[index].steps);
        index += 1;
    }
    count
}

fn none() -> Value {
    json!({})
}

use Step::{Ask, Customer, Note, Rated, Reply, Set, Take};
use TicketStatus::{Closed, PendingCustomer, PendingInternal, Solved};

pub(super) const STORIES: &[Story] = &[
    Story {
        requester: "bea@harbor.example",
        service: "till-or-laptop",
        subject: "Till 2 freezes when taking card payments",
        body: "Since this morning till 2 at Harbor Street freezes whenever a customer pays by card. We are sending everyone to till 1 and the queue is out the door.",
        fields: || json!({"device": "Till", "store": "Harbor Street", "blocks_sales": true}),
        hours_ago: 3,
        steps: &[
            Note("Card reader firmware 4.2 rolled out last night; likely the cause."),
            Reply("Thanks Bea, I'm rolling the card reader back remotely now. Please restart till 2 in 10 minutes."),
        ],
    },
    Story {
        requester: "erin@example.com",
        service: "order-problem",
        subject: "Wrong beans in my subscription box",
        body: "I ordered the Ethiopia Yirgacheffe whole beans but received ground Colombian. Can you send the right ones?",
        fields: || json!({"order_number": "HB-10442", "problem": "Wrong item"}),
        hours_ago: 30,
        steps: &[
            Take,
            Note("Warehouse picked from the wrong bin again; asking Wes to check bin C-14."),
            Reply("Sorry Erin! The right beans are on their way today, and keep the ground coffee on us."),
            Set(PendingCustomer),
        ],
    },
    Story {
        requester: "olga@bayside.example",
        service: "order-problem",
        subject: "Office order arrived damaged",
        body: "Two of the five 1 kg bags in our office order were torn open in the box.",
        fields: || json!({"order_number": "HB-10398", "problem": "Damaged"}),
        hours_ago: 50,
        steps: &[
            Take,
            Reply("We're sorry, Olga. Could you send a photo of the torn bags so we can claim it with the courier?"),
            Set(PendingCustomer),
            Customer("Photo attached to the email I sent this morning."),
            Note("Photo received by email; courier claim filed."),
        ],
    },
    Story {
        requester: "erin@example.com",
        service: "order-problem",
        subject: "I was charged twice for order HB-10501",
        body: "My card shows two charges of 24.90 for the same order.",
        fields: || json!({"order_number": "HB-10501"}),
        hours_ago: 5,
        steps: &[],
    },
    Story {
        requester: "sam@harbor.example",
        service: "sales-figures",
        subject: "Weekly sales for Pier 9, weeks 44–46",
        body: "For the regional meeting on Friday I need Pier 9's weekly sales for weeks 44 to 46, split by food and drinks.",
        fields: || json!({"period": "2026 W44–W46", "store": "Pier 9"}),
        hours_ago: 26,
        steps: &[Take, Reply("Working on it, Sam; you'll have it by Thursday noon."), Set(TicketStatus::Open)],
    },
    Story {
        requester: "sam@harbor.example",
        service: "stock-replenishment",
        subject: "Oat milk running out at Harbor Street",
        body: "We are down to 6 cartons of oat milk and the weekend is coming.",
        fields: || json!({"store": "Harbor Street", "item": "Oat milk 1 L", "quantity": 48, "needed_by": "2026-11-27"}),
        hours_ago: 20,
        steps: &[
            Take,
            Reply("48 cartons are on tomorrow's van."),
            Set(Solved),
            Rated(5, "Arrived first thing. Thanks Wes!"),
        ],
    },
    Story {
        requester: "bea@harbor.example",
        service: "benefits-question",
        subject: "How do I add my partner to the health plan?",
        body: "We moved in together last month. What do I need to send you?",
        fields: || json!({"topic": "Health"}),
        hours_ago: 72,
        steps: &[
            Take,
            Reply("Congratulations! Fill in the household form on the intranet and send it with a proof of address."),
            Set(PendingCustomer),
        ],
    },
    Story {
        requester: "bea@harbor.example",
        service: "employee-discount",
        subject: "My discount card stopped working",
        body: "The card is refused at every till since Monday.",
        fields: none,
        hours_ago: 96,
        steps: &[
            Take,
            Note("Card was deactivated by the yearly renewal job by mistake."),
            Reply("Fixed: your card works again."),
            Set(Solved),
            Set(Closed),
        ],
    },
    Story {
        requester: "sol@sunrisebeans.example",
        service: "product-question",
        subject: "Certification papers for the new harvest",
        body: "We can send the organic certificates for the new harvest; who should receive them?",
        fields: || json!({"product": "Sunrise organic beans"}),
        hours_ago: 120,
        steps: &[
            Take,
            Reply("Please send them to Casey; we will forward them to purchasing."),
            Customer("Sent today."),
            Set(Solved),
        ],
    },
    Story {
        requester: "erin@example.com",
        service: "store-feedback",
        subject: "Lovely service at Old Town",
        body: "The barista remembered my order and drew a cat in the foam. Made my week!",
        fields: || json!({"store": "Old Town", "visit_date": "2026-11-18"}),
        hours_ago: 110,
        steps: &[
            Take,
            Reply("Thank you Erin, we've passed this on to the Old Town team!"),
            Set(Solved),
            Rated(5, "Lovely to hear back so fast."),
        ],
    },
    Story {
        requester: "olga@bayside.example",
        service: "store-feedback",
        subject: "Queue at Pier 9 every morning",
        body: "Our team waits 20 minutes every morning at Pier 9. Could you open a second till before 9?",
        fields: || json!({"store": "Pier 9"}),
        hours_ago: 40,
        steps: &[Take, Note("Raised with Sam; staffing rota change under discussion."), Set(PendingInternal)],
    },
    Story {
        requester: "sam@harbor.example",
        service: "till-or-laptop",
        subject: "Back-office laptop battery swollen",
        body: "The manager laptop at Harbor Street has a bulging battery. It still works but I am worried.",
        fields: || json!({"device": "Laptop", "store": "Harbor Street", "asset_tag": "HB-LT-0042"}),
        hours_ago: 60,
        steps: &[
            Reply("Please stop using it and unplug it. A replacement is on its way."),
            Note("Ordered replacement from stock; old one goes to recycling."),
            Set(PendingCustomer),
            Customer("Replacement arrived, old one is in the box."),
            Set(Solved),
        ],
    },
    Story {
        requester: "erin@example.com",
        service: "product-question",
        subject: "Is the decaf Swiss water processed?",
        body: "I'm avoiding solvent-processed decaf. Which process do you use?",
        fields: || json!({"product": "Harbor decaf"}),
        hours_ago: 8,
        steps: &[],
    },
    Story {
        requester: "bea@harbor.example",
        service: "product-question",
        subject: "Allergen sheet for the new pumpkin muffin",
        body: "Customers keep asking whether the pumpkin muffin contains nuts. Is there an allergen sheet?",
        fields: || json!({"product": "Pumpkin muffin"}),
        hours_ago: 12,
        steps: &[
            Take,
            Reply("Yes: it contains walnuts. The allergen sheet is in the shared drive under Menu > Autumn."),
            Set(Solved),
        ],
    },
    Story {
        requester: "olga@bayside.example",
        service: "product-question",
        subject: "Can we order 20 kg for the office?",
        body: "Do you offer a business price for a monthly 20 kg order?",
        fields: || json!({"product": "House blend"}),
        hours_ago: 2,
        steps: &[],
    },
    Story {
        requester: "sam@harbor.example",
        service: "stock-replenishment",
        subject: "Paper cups 12 oz for Pier 9",
        body: "Pier 9 needs two cases of 12 oz cups.",
        fields: || json!({"store": "Pier 9", "item": "Paper cups 12 oz", "quantity": 2}),
        hours_ago: 4,
        steps: &[],
    },
    Story {
        requester: "bea@harbor.example",
        service: "till-or-laptop",
        subject: "Receipt printer out of ink warning",
        body: "The receipt printer shows an ink warning even with a new roll.",
        fields: || json!({"device": "Printer", "store": "Harbor Street"}),
        hours_ago: 28,
        steps: &[
            Reply(
                "Thermal printers don't use ink; that warning means the print head needs cleaning. Steps are in the IT wiki.",
            ),
            Set(Solved),
        ],
    },
    Story {
        requester: "erin@example.com",
        service: "order-problem",
        subject: "Parcel says delivered but nothing arrived",
        body: "Tracking says delivered yesterday, but there's nothing at my door or with neighbours.",
        fields: || json!({"order_number": "HB-10477", "problem": "Missing item"}),
        hours_ago: 18,
        steps: &[
            Take,
            Note("Courier trace requested, ref TR-88812."),
            Reply("We've asked the courier to trace it; if it isn't found by Friday we'll resend."),
            Ask(&Request {
                service: "stock-replenishment",
                subject: "Hold a resend of order HB-10477 while the courier traces it",
                body: "If trace TR-88812 finds nothing by Friday, the customer needs the whole order again.",
                fields: || json!({"store": "Harbor Street", "item": "Order HB-10477 (resend)", "quantity": 1}),
                steps: &[Take, Note("Order HB-10477 picked and held at dispatch.")],
            }),
        ],
    },
    Story {
        requester: "sam@harbor.example",
        service: "benefits-question",
        subject: "Parental leave dates for a team member",
        body: "One of my baristas is expecting in March. What are the leave rules so I can plan the rota?",
        fields: || json!({"topic": "Leave"}),
        hours_ago: 9,
        steps: &[],
    },
    Story {
        requester: "sam@harbor.example",
        service: "sales-figures",
        subject: "Refund totals for October",
        body: "How much did Harbor Street refund in October? The numbers look high.",
        fields: || json!({"period": "2026-10", "store": "Harbor Street"}),
        hours_ago: 150,
        steps: &[
            Take,
            Reply("October refunds at Harbor Street: 412.50 across 37 transactions, in line with September."),
            Set(Solved),
            Set(Closed),
        ],
    },
    Story {
        requester: "olga@bayside.example",
        service: "order-problem",
        subject: "We were overcharged on invoice 2026-311",
        body: "Invoice 2026-311 bills 6 bags, we received 5.",
        fields: || json!({"order_number": "INV-2026-311", "problem": "Missing item"}),
        hours_ago: 14,
        steps: &[Take, Note("Need accounting to issue a credit note for one bag.")],
    },
    Story {
        requester: "bea@harbor.example",
        service: "store-feedback",
        subject: "Idea: loyalty stamps on the app",
        body: "Regulars keep asking for stamps on the app instead of paper cards.",
        fields: || json!({"store": "Harbor Street"}),
        hours_ago: 200,
        steps: &[
            Take,
            Reply("Great idea Bea, it's on the list for the app update in spring."),
            Set(Solved),
            Set(Closed),
        ],
    },
    Story {
        requester: "erin@example.com",
        service: "order-problem",
        subject: "Subscription paused by mistake",
        body: "My subscription shows as paused but I never paused it.",
        fields: || json!({"order_number": "SUB-2231"}),
        hours_ago: 1,
        steps: &[],
    },
    Story {
        requester: "sam@harbor.example",
        service: "till-or-laptop",
        subject: "New starter needs a till login",
        body: "Noah starts on Monday at Harbor Street and needs a till login.",
        fields: || json!({"device": "Till", "store": "Harbor Street"}),
        hours_ago: 16,
        steps: &[Reply("Login created: Noah gets his PIN from you on Monday."), Set(Solved)],
    },
    Story {
        requester: "sol@sunrisebeans.example",
        service: "product-question",
        subject: "Delivery window for the December shipment",
        body: "Our truck can deliver on the 14th or the 16th. Which suits the warehouse?",
        fields: || json!({"product": "Green beans, 60 kg sacks"}),
        hours_ago: 22,
        steps: &[
            Take,
            Note("Checking dock availability with Wes."),
            Reply("The 16th works best, any time after 8:00."),
            Set(PendingCustomer),
        ],
    },
    Story {
        requester: "bea@harbor.example",
        service: "stock-replenishment",
        subject: "Milk jugs cracked at Old Town",
        body: "Two of our steaming jugs cracked; we need replacements before the weekend.",
        fields: || json!({"store": "Old Town", "item": "Steaming jug 600 ml", "quantity": 2}),
        hours_ago: 7,
        steps: &[Take, Reply("Two jugs go out on Friday morning's van.")],
    },
    Story {
        requester: "olga@bayside.example",
        service: "order-problem",
        subject: "Please add a second delivery address",
        body: "Our new office on Dock Road should get half of the monthly order from now on.",
        fields: || json!({"order_number": "SUB-BAYSIDE-1"}),
        hours_ago: 75,
        steps: &[
            Take,
            Reply("Done: from January the order is split between both addresses."),
            Set(Solved),
            Rated(4, "Easy, thank you."),
        ],
    },
    Story {
        requester: "sam@harbor.example",
        service: "sales-figures",
        subject: "Card vs cash split for Q3",
        body: "Head office asks how much of Q3 was paid by card at each store.",
        fields: || json!({"period": "2026 Q3"}),
        hours_ago: 45,
        steps: &[Take, Note("Pulling from the payment provider's export, not the tills."), Set(PendingInternal)],
    },
    Story {
        requester: "erin@example.com",
        service: "store-feedback",
        subject: "Music too loud at Pier 9",
        body: "I love working from Pier 9 but the music was very loud on Tuesday afternoon.",
        fields: || json!({"store": "Pier 9", "visit_date": "2026-11-17"}),
        hours_ago: 33,
        steps: &[
            Take,
            Reply("Thanks Erin, we've asked the Pier 9 team to keep the volume down in the afternoons."),
            Set(Solved),
        ],
    },
    Story {
        requester: "bea@harbor.example",
        service: "benefits-question",
        subject: "Training budget for a latte art course",
        body: "Is there a training budget I could use for the latte art course in January?",
        fields: || json!({"topic": "Other"}),
        hours_ago: 6,
        steps: &[],
    },
    Story {
        requester: "sam@harbor.example",
        service: "employee-discount",
        subject: "Discount card for a new starter",
        body: "Noah starts Monday and needs a discount card.",
        fields: none,
        hours_ago: 15,
        steps: &[Take, Reply("The card will be in the Harbor Street post tray on Monday."), Set(Solved)],
    },
    Story {
        requester: "olga@bayside.example",
        service: "store-feedback",
        subject: "Great catering for our offsite",
        body: "The pastries you delivered for our offsite were a hit. Thank you!",
        fields: none,
        hours_ago: 130,
        steps: &[
            Take,
            Reply("So glad to hear it, Olga! We've shared this with the bakery team."),
            Set(Solved),
            Set(Closed),
        ],
    },
    Story {
        requester: "sol@sunrisebeans.example",
        service: "order-problem",
        subject: "Wholesale order HB-20817 arrived six bags short",
        body: "We ordered 24 bags of Ethiopia Yirgacheffe and received 18. Our cafe runs out on Friday.",
        fields: || json!({"order_number": "HB-20817", "problem": "Missing item"}),
        hours_ago: 20,
        steps: &[
            Take,
            Note("Packing list shows bin C-14 short; asking the warehouse to ship the rest."),
            Ask(&Request {
                service: "stock-replenishment",
                subject: "Six bags of Ethiopia Yirgacheffe for wholesale order HB-20817",
                body: "Sunrise Beans received 18 of 24 bags; the packing list says bin C-14 was short. Please send the six missing 1 kg bags today.",
                fields: || json!({"store": "Harbor Street", "item": "Ethiopia Yirgacheffe whole beans 1 kg", "quantity": 6}),
                steps: &[
                    Take,
                    Note("Bin C-14 holds Colombian ground under a Yirgacheffe label: relabelling today."),
                    Ask(&Request {
                        service: "sales-figures",
                        subject: "Write-off for mislabelled stock in bin C-14",
                        body: "12 bags of Colombian ground were shelved as Yirgacheffe. What can we write off before we re-sell them?",
                        fields: || json!({"period": "November 2026", "store": "Harbor Street"}),
                        steps: &[Take],
                    }),
                ],
            }),
            Reply(
                "Sorry Sol! The six missing bags ship from our warehouse today; we'll confirm when they're on the way.",
            ),
        ],
    },
    Story {
        requester: "olga@bayside.example",
        service: "order-problem",
        subject: "Descaler missing from our machine order",
        body: "The descaler tablets we ordered with the machine were not in the box.",
        fields: || json!({"order_number": "HB-10385", "problem": "Missing item"}),
        hours_ago: 90,
        steps: &[
            Take,
            Ask(&Request {
                service: "stock-replenishment",
                subject: "Descaler tablets for Bayside (order HB-10385)",
                body: "The tablets were left out of Bayside's machine order. Please send a tub.",
                fields: || json!({"store": "Harbor Street", "item": "Descaler tablets", "quantity": 1}),
                steps: &[Take, Note("Out of stock until Thursday."), Reply("Shipped Thursday morning."), Set(Solved)],
            }),
            Reply("Sorry for the wait, Olga: the tablets went out this morning."),
            Set(Solved),
            Rated(2, "Three days for a tub of tablets."),
        ],
    },
];
