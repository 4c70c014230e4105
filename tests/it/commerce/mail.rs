//! E-mails land in the outbox: the shopper's confirmation and one notice per shop.

use super::{BAGUETTE, BAKERY, BRIE, CHEESE, CLOTHES, Env, MORNING, SCARF_RED, WEDNESDAY};
use super::{checkout, home, locker, on_both_databases, relay};
use comptoir::mail::{self, Outbox};
use comptoir::{Config, orders};

fn outbox_files(dir: &std::path::Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("the outbox exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .map(|p| decode(&std::fs::read_to_string(p).expect("ASCII e-mail")))
        .collect();
    files.sort();
    files
}

/// The e-mail with its quoted-printable body decoded (RFC 2045, section 6.7).
fn decode(eml: &str) -> String {
    let (headers, body) = eml.split_once("\r\n\r\n").expect("headers, then the body");
    assert!(
        headers.contains("Content-Transfer-Encoding: quoted-printable"),
        "{headers}"
    );
    let joined = body.replace("=\r\n", "");
    let mut bytes = Vec::new();
    let mut rest = joined.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        if first == b'=' && tail.len() >= 2 {
            let hex = std::str::from_utf8(&tail[..2]).expect("ASCII");
            bytes.push(u8::from_str_radix(hex, 16).expect("=XX"));
            rest = &tail[2..];
        } else {
            bytes.push(first);
            rest = tail;
        }
    }
    format!(
        "{headers}\n\n{}",
        String::from_utf8(bytes)
            .expect("UTF-8 text")
            .replace("\r\n", "\n")
    )
}

fn addressed_to<'a>(files: &'a [String], address: &str) -> &'a str {
    files
        .iter()
        .find(|f| {
            f.lines()
                .any(|l| l.starts_with("To: ") && l.contains(address))
        })
        .unwrap_or_else(|| panic!("no e-mail to {address}"))
}

async fn order_emails_land_in_the_outbox(mut env: Env) {
    let cheese = env
        .catalogue_mut()
        .shops
        .iter_mut()
        .find(|s| s.slug == CHEESE)
        .expect("cheese shop");
    cheese.email = Some("fromages@ecoles.example".into());
    let order = checkout(
        &[(BAGUETTE, 2), (SCARF_RED, 1), (BRIE, 1)],
        &[
            (BAKERY, locker(WEDNESDAY)),
            (CLOTHES, home(WEDNESDAY, MORNING)),
            (CHEESE, relay(WEDNESDAY, MORNING)),
        ],
    );
    let placed = env.place(&order).await.expect("placed").order;
    let config = Config::for_tests(env.data.join("content"), env.data.clone());
    let mailer = mail::from_config(&config).expect("the default mailer");
    let report = mail::send_order_emails(mailer.as_ref(), &env.catalogue, &placed).await;
    assert_eq!(report.failed, Vec::<String>::new());
    assert_eq!(report.sent.len(), 3, "the shopper and two shops");
    assert_eq!(
        report.shops_without_email,
        [CLOTHES],
        "the clothes shop has no e-mail"
    );

    let files = outbox_files(&env.data.join(mail::OUTBOX_DIR));
    assert_eq!(files.len(), 3);
    let shopper = addressed_to(&files, "marie@exemple.fr");
    assert!(shopper.contains(&format!("Subject: Votre commande {}", placed.number)));
    assert!(
        shopper.contains("From: \"Exemple Boutiques\" <contact@exemple-ville.fr>")
            || shopper.contains("From: Exemple Boutiques <contact@exemple-ville.fr>"),
        "{shopper}"
    );
    for expected in [
        "Bonjour Marie Dupont,",
        "2 × Baguette de tradition [parc-baguette-tradition] : 2,20\u{a0}€",
        "1 × Écharpe en laine d'agneau (rouge) [ECHARPE-ROUGE] : 29,00\u{a0}€",
        "À retirer à : Consigne automatique de la gare de Robinson (Place de la Gare, 92330 Sceaux), à partir du mercredi 11 mars.",
        "Livraison au 3 rue des Imbergères, 92330 Sceaux, le mercredi 11 mars de 10:00 à 12:00.",
        "À retirer à : Relais des Blagis (12 avenue Jean Perrin, 92330 Sceaux), le mercredi 11 mars de 10:00 à 12:00.",
        "Frais de livraison : 4,90\u{a0}€",
        "Total : 43,70\u{a0}€ (dont 7,70\u{a0}€ de livraison)",
        "à régler au retrait ou à la livraison",
        &format!(
            "https://www.exemple-ville.fr/commande/suivi/{}",
            placed.tracking_token
        ),
    ] {
        assert!(
            shopper.contains(expected),
            "missing {expected:?} in:\n{shopper}"
        );
    }

    let bakery = addressed_to(&files, "bonjour@boulangerie-du-parc.example");
    assert!(bakery.contains(&format!("Subject: Nouvelle commande {}", placed.number)));
    for expected in [
        "Client : Marie Dupont",
        "Téléphone : 06 12 34 56 78",
        "2 × Baguette de tradition",
        "Sous-total : 2,20\u{a0}€",
    ] {
        assert!(
            bakery.contains(expected),
            "missing {expected:?} in:\n{bakery}"
        );
    }
    assert!(
        !bakery.contains("Écharpe"),
        "a shop sees only its own lines"
    );
    assert!(
        !bakery.contains(&placed.tracking_token),
        "the tracking link is the shopper's"
    );

    let again = orders::find(&env.db, &placed.number)
        .await
        .expect("read")
        .expect("found");
    let outbox = Outbox::new(env.data.join("another-outbox"));
    let report = mail::send_order_emails(&outbox, &env.catalogue, &again).await;
    assert_eq!(report.sent.len(), 3);
    assert_eq!(outbox_files(outbox.dir()).len(), 3);
}

on_both_databases!(order_emails_land_in_the_outbox);
