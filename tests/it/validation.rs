//! Invalid catalogues: every problem is reported at once with its file, line and what to
//! write instead, and the live site stays as it was.

use crate::helpers::{TestApp, copy_dir, fixtures};
use axum::http::StatusCode;

/// Each invalid fixture (files laid over the valid catalogue) and the problems it must
/// report: (file suffix, line, words of the message).
/// An expected problem: (file suffix, line, words of the message).
type Expected = (&'static str, usize, &'static str);

const CASES: [(&str, &[Expected]); 10] = [
    (
        "unknown-field",
        &[("products/croissant.md", 4, "unknown field `prix`")],
    ),
    (
        "bad-price",
        &[("products/croissant.md", 5, "bad amount \"1.2.0\"")],
    ),
    ("float-price", &[("products/croissant.md", 6, "is a float")]),
    (
        "unknown-category",
        &[(
            "products/croissant.md",
            7,
            "unknown category \"boulangeri\"",
        )],
    ),
    (
        "duplicate-id",
        &[(
            "products/comte-24-mois.md",
            5,
            "duplicate id \"ecoles-comte-18\"",
        )],
    ),
    (
        "duplicate-slug",
        &[(
            "products/brie.md",
            4,
            "duplicate slug \"brie-de-meaux-aop\"",
        )],
    ),
    (
        "missing-image",
        &[(
            "products/croissant.md",
            7,
            "missing image \"croissant-coupe.jpg\"",
        )],
    ),
    ("bad-toml", &[("products/croissant.md", 3, "")]),
    (
        "bad-shop",
        &[
            (
                "fromagerie-des-ecoles/shop.toml",
                2,
                "unknown trade \"fromager\"",
            ),
            ("fromagerie-des-ecoles/shop.toml", 4, "bad phone number"),
            (
                "fromagerie-des-ecoles/shop.toml",
                5,
                "unknown delivery mode \"drone\"",
            ),
            (
                "fromagerie-des-ecoles/shop.toml",
                18,
                "bad opening hours \"9h-13h\"",
            ),
        ],
    ),
    (
        "many",
        &[
            ("boulangerie-du-parc/products/croissant.md", 5, "bad amount"),
            (
                "fromagerie-des-ecoles/products/brie-de-meaux.md",
                6,
                "unknown category \"cremerie\"",
            ),
            (
                "fromagerie-des-ecoles/products/comte-24-mois.md",
                5,
                "duplicate id",
            ),
        ],
    ),
];

fn invalid(case: &str) -> TestApp {
    TestApp::unbuilt(|content| {
        copy_dir(&fixtures().join("valid"), content);
        copy_dir(&fixtures().join("invalid").join(case), content);
    })
}

#[test]
fn each_invalid_fixture_reports_every_problem_with_file_and_line() {
    for (case, expected) in CASES {
        let app = invalid(case);
        let problems = match comptoir_indexer::load::load(&app.content) {
            Ok(_) => panic!("{case}: the catalogue should be refused"),
            Err(problems) => problems,
        };
        assert_eq!(problems.len(), expected.len(), "{case}: {problems:#?}");
        for (problem, (suffix, line, words)) in problems.iter().zip(expected) {
            let text = problem.to_string();
            assert!(problem.path.ends_with(suffix), "{case}: {text}");
            assert_eq!(problem.line, Some(*line), "{case}: {text}");
            assert!(
                text.contains(words),
                "{case}: {text:?} should say {words:?}"
            );
            assert!(
                !problem.hint.is_empty(),
                "{case}: {text} says what to write instead"
            );
        }
    }
}

#[test]
fn hints_say_what_to_write_instead() {
    let problems = comptoir_indexer::load::load(&invalid("unknown-category").content)
        .err()
        .unwrap_or_default();
    assert!(
        problems[0].hint.contains("category = \"boulangerie\""),
        "{}",
        problems[0]
    );
    let problems = comptoir_indexer::load::load(&invalid("float-price").content)
        .err()
        .unwrap_or_default();
    assert!(
        problems[0].hint.contains("price = \"12.50\""),
        "{}",
        problems[0]
    );
}

#[tokio::test]
async fn a_failed_build_leaves_the_live_site_as_it_was() {
    let app = TestApp::new();
    let before = app.get("/healthz").await.text();
    let page = app.get("/boutiques/boulangerie-du-parc/croissant/").await;
    copy_dir(&fixtures().join("invalid/many"), &app.content);
    let error = app.build().expect_err("the build fails");
    let message = format!("{error:#}");
    assert!(
        message.contains("croissant.md:5") && message.contains("comte-24-mois.md:5"),
        "{message}"
    );
    assert_eq!(
        app.get("/healthz").await.text(),
        before,
        "the same build is live"
    );
    let after = app.get("/boutiques/boulangerie-du-parc/croissant/").await;
    assert_eq!((after.status, after.body), (StatusCode::OK, page.body));
}
