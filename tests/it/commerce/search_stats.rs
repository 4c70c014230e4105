//! Search counts on both databases: recorded in memory, added up in the database per
//! normalised query and day, read back most asked first.

use super::{Env, on_both_databases};
use comptoir::search::QueryWord;
use comptoir::search::stats::{SearchLog, top_queries, zero_result_queries};
use jiff::civil::date;

on_both_databases!(counts_add_up_per_query_and_day);

async fn counts_add_up_per_query_and_day(env: Env) {
    let log = SearchLog::default();
    let (monday, tuesday) = (date(2026, 3, 9), date(2026, 3, 10));
    log.record(monday, &QueryWord::parse("Écharpes LAINE"), 4);
    log.record(tuesday, &QueryWord::parse("écharpes laine"), 4);
    log.record(tuesday, &QueryWord::parse("licorne"), 0);
    log.record(tuesday, &QueryWord::parse("  "), 0);
    assert_eq!(
        log.flush(&env.db).await.expect("flush"),
        3,
        "three (day, query) rows"
    );
    log.record(tuesday, &QueryWord::parse("licorne"), 0);
    log.flush(&env.db).await.expect("second flush");
    let top = top_queries(&env.db, monday, tuesday, 10)
        .await
        .expect("top");
    let rows: Vec<(&str, i64, i64)> = top
        .iter()
        .map(|q| (q.query.as_str(), q.searches, q.zero_results))
        .collect();
    assert_eq!(rows, [("echarpes laine", 2, 0), ("licorne", 2, 2)]);
    let zero = zero_result_queries(&env.db, tuesday, tuesday, 10)
        .await
        .expect("zero");
    assert_eq!(zero.len(), 1);
    assert_eq!(
        (zero[0].query.as_str(), zero[0].zero_results),
        ("licorne", 2)
    );
    let monday_only = top_queries(&env.db, monday, monday, 10).await.expect("top");
    assert_eq!(monday_only.len(), 1, "days outside the period are left out");
}
