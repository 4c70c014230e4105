//! Opening the database: the default SQLite file in the data folder, in WAL mode, migrated
//! once; unsupported URLs named in the error.

use super::{Env, on_both_databases};
use comptoir::Config;
use comptoir::db::{Backend, Db, DbError, SQLITE_FILE};
use comptoir::stock;
use sqlx::Row;

#[tokio::test]
async fn the_default_database_is_a_sqlite_file_in_wal_mode() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config::for_tests(dir.path().join("content"), dir.path().join("data/nested"));
    let db = Db::open(&config).await.expect("created on first start");
    assert_eq!(db.backend(), Backend::Sqlite);
    assert!(config.data.join(SQLITE_FILE).is_file());
    let mode: String = sqlx::query("PRAGMA journal_mode")
        .fetch_one(db.pool())
        .await
        .expect("pragma")
        .try_get(0)
        .expect("text");
    assert_eq!(mode, "wal");
    let keys: i64 = sqlx::query("PRAGMA foreign_keys")
        .fetch_one(db.pool())
        .await
        .expect("pragma")
        .try_get(0)
        .expect("int");
    assert_eq!(keys, 1);
    db.close().await;
    Db::open(&config)
        .await
        .expect("opens again, migrations already applied");
}

#[tokio::test]
async fn an_unsupported_url_says_what_to_use() {
    let error = Db::open_url("mysql://localhost/shop")
        .await
        .expect_err("unsupported");
    assert!(matches!(&error, DbError::UnsupportedUrl { scheme } if scheme == "mysql"));
    assert!(error.to_string().contains("postgres://"), "{error}");
}

async fn stock_is_seeded_once_and_never_overwritten(env: Env) {
    assert_eq!(
        env.stock("ECHARPE-GRIS").await,
        1,
        "seeded from the catalogue"
    );
    stock::set(&env.db, "ECHARPE-GRIS", 7)
        .await
        .expect("a merchant's count");
    let mut catalogue = super::fixture();
    let scarf = catalogue
        .products
        .iter_mut()
        .find(|p| p.id == "marguerite-echarpe")
        .map(std::sync::Arc::make_mut)
        .expect("scarf");
    scarf.variants[1].stock = 50;
    scarf.variants.push(comptoir_indexer::model::Variant {
        sku: "ECHARPE-BLEUE".into(),
        stock: 5,
        ..scarf.variants[0].clone()
    });
    assert_eq!(
        stock::seed(&env.db, &catalogue).await.expect("seeded"),
        1,
        "only the new SKU"
    );
    assert_eq!(env.stock("ECHARPE-GRIS").await, 7, "never overwritten");
    assert_eq!(env.stock("ECHARPE-BLEUE").await, 5);
    let levels = stock::levels(&env.db, &["parc-flan", "ECHARPE-ROUGE", "NOPE"])
        .await
        .expect("levels");
    assert_eq!(
        levels.len(),
        2,
        "unpublished products are seeded too; unknown SKUs are absent"
    );
}

on_both_databases!(stock_is_seeded_once_and_never_overwritten);
