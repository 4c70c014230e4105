//! `content/charte.md`: the quality charter, TOML front matter between `+++` lines (its
//! `version` and optional `[targets]`), then the text in Markdown.

use super::fields::FileCtx;
use super::product::split_front_matter;
use crate::model::{Charter, Targets};
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCharter {
    version: Spanned<String>,
    #[serde(default)]
    targets: RawTargets,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTargets {
    accept_within_hours: Option<u32>,
    ready_within_hours: Option<u32>,
    max_cancelled_percent: Option<u32>,
}

/// Parses the charter.
///
/// # Errors
///
/// Every problem found, with its line.
pub fn parse_charter(path: &Path, text: &str) -> Result<Charter, Vec<crate::Problem>> {
    let Some((front, body, offset)) = split_front_matter(text) else {
        let mut ctx = FileCtx::new(path, text, 0);
        let hint = "start the file with +++, version = \"2026-11\", +++, then the text";
        ctx.report(None, "no front matter", hint);
        return Err(ctx.problems);
    };
    let mut ctx = FileCtx::new(path, front, offset);
    let charter = ctx
        .toml::<RawCharter>(front, "see docs/catalogue.md (quality charter)")
        .and_then(|raw| {
            let version = ctx.text(&raw.version, "version")?;
            let targets = Targets {
                accept_within_hours: raw.targets.accept_within_hours,
                ready_within_hours: raw.targets.ready_within_hours,
                max_cancelled_percent: raw.targets.max_cancelled_percent,
            };
            if body.trim().is_empty() {
                ctx.report(
                    None,
                    "the charter has no text",
                    "write it after the second +++",
                );
            }
            Some(Charter {
                version,
                targets,
                body: body.trim().to_owned(),
            })
        });
    match charter {
        Some(charter) if ctx.problems.is_empty() => Ok(charter),
        _ => Err(ctx.problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_targets_and_text() {
        let text = "+++\nversion = \"2026-11\"\n[targets]\naccept_within_hours = 4\n+++\n# Charte\n\nNous nous engageons.\n";
        let charter = parse_charter(Path::new("charte.md"), text).expect("parses");
        assert_eq!(charter.version, "2026-11");
        assert_eq!(charter.targets.accept_within_hours, Some(4));
        assert_eq!(charter.targets.ready_within_hours, None);
        assert!(charter.body.starts_with("# Charte"));
    }

    #[test]
    fn problems_have_lines() {
        for (text, line) in [
            ("# Charte\n", 1),
            ("+++\nversion = \"\"\n+++\nTexte\n", 2),
            ("+++\nversion = \"1\"\ncolor = 3\n+++\nTexte\n", 3),
        ] {
            let problems = parse_charter(Path::new("charte.md"), text).expect_err(text);
            assert_eq!(problems[0].line, Some(line), "{text}: {problems:?}");
        }
    }
}
