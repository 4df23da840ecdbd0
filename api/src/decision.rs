//! The award decision as a document for the minutes: `GET /calls/{id}/decision.html`, a plain
//! HTML page in Finnish and English with the call, the awarded bidder, the ranking, the
//! justification, the standstill end and the remedies with their deadlines. Everything on it
//! is public once the call is awarded (as the ranking is); the page runs no script.

use crate::domain::escape_markup as esc;
use crate::email::compose::{Remedies, instructions};
use chrono::{DateTime, SecondsFormat, Utc};

/// The page's policy: nothing but its own inline style.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// What the document says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub call_title: String,
    pub orderer: String,
    pub decided_at: DateTime<Utc>,
    pub awarded: String,
    pub justification: String,
    /// (rank, bidder, total price, total score), by rank.
    pub ranking: Vec<(i32, String, String, String)>,
    pub remedies: Remedies,
}

fn at(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The page.
pub fn render(d: &Decision) -> String {
    let rows: String = d
        .ranking
        .iter()
        .map(|(rank, bidder, price, score)| {
            format!(
                "<tr><td>{rank}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                esc(bidder),
                esc(price),
                esc(score)
            )
        })
        .collect();
    let [fi_correction, fi_appeal] = instructions(d.remedies, entity::Language::Fi);
    let [en_correction, en_appeal] = instructions(d.remedies, entity::Language::En);
    let paragraphs = |texts: &[&str]| -> String {
        texts
            .iter()
            .map(|t| format!("<p>{}</p>\n", esc(t)))
            .collect()
    };
    let title = esc(&d.call_title);
    format!(
        "<!doctype html>\n<html lang=\"fi\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Hankintapäätös / Award decision: {title}</title>\n\
         <style>body{{font-family:sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}}\
         table{{border-collapse:collapse;width:100%}}th,td{{border:1px solid #888;padding:.3rem .5rem;text-align:left}}\
         .num{{text-align:right}}dt{{font-weight:bold}}section{{margin-top:2rem}}\
         @media print{{body{{margin:0}}}}</style>\n</head>\n<body>\n<main>\n\
         <h1>Hankintapäätös / Award decision</h1>\n\
         <dl>\n<dt>Tarjouspyyntö / Call for tenders</dt><dd>{title}</dd>\n\
         <dt>Hankintayksikkö / Orderer</dt><dd>{orderer}</dd>\n\
         <dt>Päätös tehty / Decided</dt><dd>{decided}</dd>\n\
         <dt>Valittu tarjoaja / Awarded to</dt><dd>{awarded}</dd>\n\
         <dt>Odotusaika päättyy / Standstill ends</dt><dd>{standstill}</dd>\n\
         <dt>Oikaisuvaatimus viimeistään / Correction requests until</dt><dd>{correction}</dd>\n\
         <dt>Valitus viimeistään / Appeals until</dt><dd>{appeal}</dd>\n</dl>\n\
         <section aria-labelledby=\"ranking\">\n<h2 id=\"ranking\">Hyväksyttyjen tarjousten järjestys / Ranking of the qualified bids</h2>\n\
         <table>\n<thead><tr><th scope=\"col\">Sija / Rank</th><th scope=\"col\">Tarjoaja / Bidder</th>\
         <th scope=\"col\" class=\"num\">Kokonaishinta / Total price (EUR)</th>\
         <th scope=\"col\" class=\"num\">Kokonaispisteet / Total score</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n</section>\n\
         <section aria-labelledby=\"justification\">\n<h2 id=\"justification\">Perustelut / Justification</h2>\n<p>{justification}</p>\n</section>\n\
         <section aria-labelledby=\"remedies-fi\" lang=\"fi\">\n<h2 id=\"remedies-fi\">Muutoksenhakuohjeet</h2>\n{fi}</section>\n\
         <section aria-labelledby=\"remedies-en\" lang=\"en\">\n<h2 id=\"remedies-en\">Instructions for remedies</h2>\n{en}</section>\n\
         </main>\n</body>\n</html>\n",
        orderer = esc(&d.orderer),
        decided = at(d.decided_at),
        awarded = esc(&d.awarded),
        standstill = at(d.remedies.standstill_ends_at),
        correction = at(d.remedies.correction_deadline),
        appeal = at(d.remedies.appeal_deadline),
        justification = esc(&d.justification),
        fi = paragraphs(&[&fi_correction, &fi_appeal]),
        en = paragraphs(&[&en_correction, &en_appeal]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_document_holds_the_decision_and_escapes_what_it_quotes() {
        let t = Utc.with_ymd_and_hms(2027, 3, 1, 12, 0, 0).unwrap();
        let d = Decision {
            call_title: "Kotihoito <script>alert(1)</script>".into(),
            orderer: "Hyvinvointilautakunta".into(),
            decided_at: t,
            awarded: "Hoiva & Koti Oy".into(),
            justification: "Best \"value\"".into(),
            ranking: vec![(1, "Hoiva & Koti Oy".into(), "100.00".into(), "90.00".into())],
            remedies: Remedies {
                standstill_ends_at: t,
                correction_deadline: t + chrono::TimeDelta::days(14),
                appeal_deadline: t + chrono::TimeDelta::days(14),
            },
        };
        let html = render(&d);
        assert!(!html.contains("<script>"));
        assert!(html.contains("Kotihoito &lt;script&gt;"));
        assert!(html.contains("<td>Hoiva &amp; Koti Oy</td>"));
        assert!(html.contains("Best &quot;value&quot;"));
        assert!(html.contains("2027-03-15T12:00:00Z"));
        assert!(html.contains("markkinaoikeuteen") && html.contains("Market Court"));
    }
}
