//! Every notification's words in Finnish, Swedish and English, in one place: one entry per
//! subject, body and fragment, with `{name}` placeholders the composer fills. A test checks that
//! every entry has all three languages and that their placeholders are the same.

use entity::Language;

/// (key, [Finnish, Swedish, English]).
pub const TEMPLATES: &[(&str, [&str; 3])] = &[
    // A bid's receipt.
    (
        "bid.submitted.subject",
        [
            "Tarjous vastaanotettu: {title}",
            "Anbud mottaget: {title}",
            "Bid received: {title}",
        ],
    ),
    (
        "bid.replaced.subject",
        [
            "Tarjous korvattu: {title}",
            "Anbud ersatt: {title}",
            "Bid replaced: {title}",
        ],
    ),
    (
        "bid.withdrawn.subject",
        [
            "Tarjous peruttu: {title}",
            "Anbud återkallat: {title}",
            "Bid withdrawn: {title}",
        ],
    ),
    (
        "bid.submitted.verb",
        [
            "Vastaanotimme tarjouksenne",
            "Vi har tagit emot ert anbud",
            "We received your bid",
        ],
    ),
    (
        "bid.replaced.verb",
        [
            "Vastaanotimme korvaavan tarjouksenne",
            "Vi har tagit emot ert ersättande anbud",
            "We received your replacement bid",
        ],
    ),
    (
        "bid.withdrawn.verb",
        [
            "Tarjouksenne on peruttu",
            "Ert anbud har återkallats",
            "We withdrew your bid",
        ],
    ),
    (
        "bid.receipt.body",
        [
            "{verb} tarjouspyyntöön \"{title}\".\n\nVersio: {version}\nAika: {time}\nKuittaus (SHA-256): {receipt}\n\nTarjousten määräaika päättyy {deadline}. Siihen asti tarjousta ei näe kukaan muu kuin organisaationne.\n",
            "{verb} på anbudsförfrågan \"{title}\".\n\nVersion: {version}\nTid: {time}\nKvitto (SHA-256): {receipt}\n\nAnbudstiden går ut {deadline}. Till dess ser ingen annan än er organisation anbudet.\n",
            "{verb} on the call for tenders \"{title}\".\n\nVersion: {version}\nTime: {time}\nReceipt (SHA-256): {receipt}\n\nThe submission deadline is {deadline}. Until then nobody but your organisation can see the bid.\n",
        ],
    ),
    // Questions.
    (
        "question.asked.subject",
        [
            "Uusi kysymys: {title}",
            "Ny fråga: {title}",
            "New question: {title}",
        ],
    ),
    (
        "question.asked.body",
        [
            "Tarjouspyyntöönne \"{title}\" esitettiin kysymys. Vastaus julkaistaan kaikille.\n\nKysymys: {question}\n",
            "En fråga ställdes om er anbudsförfrågan \"{title}\". Svaret blir offentligt.\n\nFråga: {question}\n",
            "A question was asked on your call for tenders \"{title}\". Its answer will be public.\n\nQuestion: {question}\n",
        ],
    ),
    (
        "question.answered.subject",
        [
            "Kysymykseenne vastattiin: {title}",
            "Er fråga har besvarats: {title}",
            "Your question was answered: {title}",
        ],
    ),
    (
        "question.answered.body",
        [
            "Tilaaja vastasi kysymykseenne tarjouspyynnössä \"{title}\". Vastaus on julkinen; nimeänne ei näytetä sen yhteydessä.\n\nKysymys: {question}\n\nVastaus: {answer}\n",
            "Beställaren besvarade er fråga om anbudsförfrågan \"{title}\". Svaret är offentligt; ert namn visas inte med det.\n\nFråga: {question}\n\nSvar: {answer}\n",
            "The orderer answered your question on the call for tenders \"{title}\". The answer is public; your name is not shown with it.\n\nQuestion: {question}\n\nAnswer: {answer}\n",
        ],
    ),
    // A call published, changed, cancelled, ended, its deadline near.
    (
        "call.published.subject",
        [
            "Uusi tarjouspyyntö: {title}",
            "Ny anbudsförfrågan: {title}",
            "New call for tenders: {title}",
        ],
    ),
    (
        "call.published.body",
        [
            "Seuraamassanne luokassa ({categories}) julkaistiin tarjouspyyntö \"{title}\".\n\nTarjouksia otetaan vastaan {deadline} asti.\n",
            "En anbudsförfrågan publicerades i en kategori som ni följer ({categories}): \"{title}\".\n\nAnbud tas emot till {deadline}.\n",
            "A call for tenders was published in a category you follow ({categories}): \"{title}\".\n\nBids are taken until {deadline}.\n",
        ],
    ),
    (
        "call.changed.subject",
        [
            "Tarjouspyyntöä muutettu: {title}",
            "Anbudsförfrågan ändrad: {title}",
            "Call for tenders changed: {title}",
        ],
    ),
    (
        "call.changed.body",
        [
            "Tarjouspyyntöä \"{title}\" on muutettu.\n\n{summary}",
            "Anbudsförfrågan \"{title}\" har ändrats.\n\n{summary}",
            "The call for tenders \"{title}\" was changed.\n\n{summary}",
        ],
    ),
    (
        "call.changed.summary",
        [
            "Versio: {version}\nMuutettu: {fields}\nPeruste: {reason}\nTarjouksia otetaan vastaan {deadline} asti.\n",
            "Version: {version}\nÄndrat: {fields}\nMotivering: {reason}\nAnbud tas emot till {deadline}.\n",
            "Version: {version}\nChanged: {fields}\nReason: {reason}\nBids are taken until {deadline}.\n",
        ],
    ),
    (
        "bid.review.subject",
        [
            "Tarkistakaa tarjouksenne: {title} muuttui",
            "Se över ert anbud: {title} har ändrats",
            "Review your bid: {title} was changed",
        ],
    ),
    (
        "bid.review.body",
        [
            "Tarjouspyyntöä \"{title}\", johon organisaationne on jättänyt tarjouksen, on muutettu.\n\n{summary}\n{what}\n",
            "Anbudsförfrågan \"{title}\", där er organisation har lämnat ett anbud, har ändrats.\n\n{summary}\n{what}\n",
            "The call for tenders \"{title}\", on which your organisation has a bid, was changed.\n\n{summary}\n{what}\n",
        ],
    ),
    (
        "bid.review.material",
        [
            "Muutos on olennainen: tarjouksenne ei ole enää voimassa, eikä sitä arvioida, ellei sitä jätetä uudelleen ennen määräaikaa.",
            "Ändringen är väsentlig: ert anbud gäller inte längre och utvärderas inte om det inte lämnas på nytt före anbudstidens utgång.",
            "The change is material: your bid is no longer current and will not be evaluated unless you submit it again before the deadline.",
        ],
    ),
    (
        "bid.review.minor",
        [
            "Muutos ei sellaisenaan tee tarjouksista vanhentuneita: tarkistakaa tarjouksenne ja jättäkää se uudelleen ennen määräaikaa, jos muutos koskee sitä (aiempaa olennaista muutosta ennen jätetty tarjous on joka tapauksessa jätettävä uudelleen).",
            "Ändringen gör inte i sig anbuden ogiltiga: se över ert anbud och lämna det på nytt före anbudstidens utgång om ändringen berör det (ett anbud som lämnats före en tidigare väsentlig ändring måste i alla fall lämnas på nytt).",
            "This change does not by itself make bids not current: review your bid, and submit it again before the deadline if the change affects it (a bid submitted before an earlier material change must be submitted again in any case).",
        ],
    ),
    (
        "call.cancelled.subject",
        [
            "Tarjouspyyntö keskeytetty: {title}",
            "Anbudsförfrågan avbruten: {title}",
            "Call cancelled: {title}",
        ],
    ),
    (
        "call.cancelled.body",
        [
            "Tarjouspyyntö \"{title}\" on keskeytetty.\n\nPeruste: {reason}\n",
            "Anbudsförfrågan \"{title}\" har avbrutits.\n\nMotivering: {reason}\n",
            "The call for tenders \"{title}\" was cancelled.\n\nReason: {reason}\n",
        ],
    ),
    (
        "call.unsuccessful.subject",
        [
            "Tarjouspyyntö päättyi ilman sopimusta: {title}",
            "Anbudsförfrågan avslutades utan kontrakt: {title}",
            "Call ended without an award: {title}",
        ],
    ),
    (
        "call.unsuccessful.body",
        [
            "Tarjouspyyntö \"{title}\" päättyi ilman hankintapäätöstä.\n\nPeruste: {reason}\n",
            "Anbudsförfrågan \"{title}\" avslutades utan tilldelningsbeslut.\n\nMotivering: {reason}\n",
            "The call for tenders \"{title}\" ended without an award.\n\nReason: {reason}\n",
        ],
    ),
    (
        "call.deadline_soon.subject",
        [
            "Määräaika 24 tunnin kuluttua: {title}",
            "Anbudstiden går ut om 24 timmar: {title}",
            "Deadline in 24 hours: {title}",
        ],
    ),
    (
        "call.deadline_soon.body",
        [
            "Tarjouksia tarjouspyyntöön \"{title}\" otetaan vastaan {deadline} asti, alle 24 tunnin ajan. Jos organisaationne aikoo tarjota, jättäkää tarjous sitä ennen; jo jätetyn tarjouksen voi korvata tai perua määräaikaan asti.\n",
            "Anbud på anbudsförfrågan \"{title}\" tas emot till {deadline}, mindre än 24 timmar från nu. Om er organisation tänker lämna anbud, gör det före dess; ett redan lämnat anbud kan ersättas eller återkallas fram till anbudstidens utgång.\n",
            "Bids for the call for tenders \"{title}\" are taken until {deadline}, less than 24 hours from now. If your organisation means to bid, submit before then; a bid already submitted can still be replaced or withdrawn until the deadline.\n",
        ],
    ),
    // The award decision and its remedies.
    (
        "call.awarded.subject",
        [
            "Hankintapäätös: {title}",
            "Upphandlingsbeslut: {title}",
            "Award decision: {title}",
        ],
    ),
    (
        "call.awarded.body",
        [
            "Hankintayksikkö on tehnyt päätöksen tarjouspyynnöstä \"{title}\".\n\n{own}\n\nHyväksyttyjen tarjousten järjestys:\n{ranking}\nPerustelut: {justification}\n\nOdotusaika päättyy {standstill}; hankintasopimusta ei tehdä ennen sitä.\n\n{correction}\n\n{appeal}\n",
            "Den upphandlande enheten har fattat beslut om anbudsförfrågan \"{title}\".\n\n{own}\n\nDe godkända anbudens rangordning:\n{ranking}\nMotivering: {justification}\n\nVäntetiden går ut {standstill}; upphandlingskontraktet ingås inte före det.\n\n{correction}\n\n{appeal}\n",
            "The orderer decided the call for tenders \"{title}\".\n\n{own}\n\nRanking of the qualified bids:\n{ranking}\nJustification: {justification}\n\nThe standstill period ends at {standstill}; no contract is made before it.\n\n{correction}\n\n{appeal}\n",
        ],
    ),
    (
        "award.ranking.line",
        [
            "  {rank}. {name}: kokonaishinta {price}, kokonaispisteet {score}\n",
            "  {rank}. {name}: totalpris {price}, totalpoäng {score}\n",
            "  {rank}. {name}: total price {price}, total score {score}\n",
        ],
    ),
    (
        "award.own.awarded",
        [
            "Tarjouksenne valittiin: hankintasopimus tehdään teidän kanssanne. Tarjous sijoittui {rank}. kokonaispisteillä {total}.",
            "Ert anbud antogs: upphandlingskontraktet ingås med er. Anbudet placerade sig som nummer {rank} med totalpoängen {total}.",
            "Your bid was awarded the contract. It ranked {rank} with a total score of {total}.",
        ],
    ),
    (
        "award.own.ranked",
        [
            "Tarjouksenne täytti vaatimukset ja sijoittui {rank}.: hintapisteet {price}, laatupisteet {quality}, kokonaispisteet {total}. Hankintasopimus tehdään toisen tarjoajan kanssa.",
            "Ert anbud uppfyllde kraven och placerade sig som nummer {rank}: prispoäng {price}, kvalitetspoäng {quality}, totalpoäng {total}. Upphandlingskontraktet ingås med en annan anbudsgivare.",
            "Your bid qualified and ranked {rank}: price score {price}, quality score {quality}, total score {total}. The contract was awarded to another bid.",
        ],
    ),
    (
        "award.own.disqualified",
        [
            "Tarjouksenne ei täyttänyt vaatimuksia, eikä sitä otettu vertailuun, seuraavista syistä:\n{reasons}Hankintasopimus tehdään toisen tarjoajan kanssa.",
            "Ert anbud uppfyllde inte kraven och togs inte med i jämförelsen, av följande skäl:\n{reasons}Upphandlingskontraktet ingås med en annan anbudsgivare.",
            "Your bid did not qualify and was not ranked, for these reasons:\n{reasons}The contract was awarded to another bid.",
        ],
    ),
    (
        "award.own.not_current",
        [
            "Tarjouksenne jätettiin ennen tarjouspyynnön olennaista muutosta, eikä sitä jätetty uudelleen, joten sitä ei arvioitu. Hankintasopimus tehdään toisen tarjoajan kanssa.",
            "Ert anbud lämnades före en väsentlig ändring av anbudsförfrågan och lämnades inte på nytt, så det utvärderades inte. Upphandlingskontraktet ingås med en annan anbudsgivare.",
            "Your bid was submitted before a material change to the call and was not submitted again, so it was not evaluated. The contract was awarded to another bid.",
        ],
    ),
    (
        "remedy.correction",
        [
            "Oikaisuvaatimus (hankintaoikaisu): tarjoaja voi vaatia hankintayksikköä oikaisemaan päätöksen viimeistään {deadline}. Vaatimus tehdään Kilpailutus-palvelussa tarjouspyynnön sivulla tai kirjallisesti hankintayksikölle, ja siinä kerrotaan, mitä oikaisua vaaditaan ja millä perusteella. Oikaisuvaatimus ei pidennä valitusaikaa.",
            "Begäran om upphandlingsrättelse: en anbudsgivare kan begära att den upphandlande enheten rättar beslutet senast {deadline}. Begäran görs i Kilpailutus på anbudsförfrågans sida eller skriftligen till den upphandlande enheten och ska ange vilken rättelse som begärs och på vilka grunder. En begäran om rättelse förlänger inte besvärstiden.",
            "Correction request (hankintaoikaisu): a bidder may ask the orderer to correct the decision until {deadline}, in Kilpailutus on the call's page or in writing to the orderer, saying what should be corrected and why. A correction request does not extend the time for an appeal.",
        ],
    ),
    (
        "remedy.appeal",
        [
            "Valitus: tarjoaja voi hakea muutosta valittamalla markkinaoikeuteen (Radanrakentajantie 5, 00520 Helsinki, markkinaoikeus@oikeus.fi) viimeistään {deadline}. Valituksesta on ilmoitettava kirjallisesti myös hankintayksikölle.",
            "Besvär: en anbudsgivare kan söka ändring genom besvär hos marknadsdomstolen (Banbyggarvägen 5, 00520 Helsingfors, markkinaoikeus@oikeus.fi) senast {deadline}. Besväret ska också meddelas den upphandlande enheten skriftligen.",
            "Appeal (valitus): a bidder may appeal to the Market Court (markkinaoikeus, Radanrakentajantie 5, 00520 Helsinki, markkinaoikeus@oikeus.fi) until {deadline}. The orderer must also be told of the appeal in writing.",
        ],
    ),
    (
        "correction.requested.subject",
        [
            "Oikaisuvaatimus: {title}",
            "Begäran om upphandlingsrättelse: {title}",
            "Correction request: {title}",
        ],
    ),
    (
        "correction.requested.body",
        [
            "{requester} vaatii oikaisua tarjouspyynnön \"{title}\" hankintapäätökseen. Ratkaiskaa vaatimus perusteluineen Kilpailutus-palvelussa.\n\nVaatimus:\n{text}\n",
            "{requester} begär rättelse av upphandlingsbeslutet om anbudsförfrågan \"{title}\". Avgör begäran med motivering i Kilpailutus.\n\nBegäran:\n{text}\n",
            "{requester} requests a correction of the award decision of the call for tenders \"{title}\". Decide it, with reasons, in Kilpailutus.\n\nRequest:\n{text}\n",
        ],
    ),
    (
        "correction.decided.subject",
        [
            "Päätös oikaisuvaatimukseen: {title}",
            "Beslut om begäran om rättelse: {title}",
            "Correction request decided: {title}",
        ],
    ),
    (
        "correction.decided.body",
        [
            "\"{title}\"\n\n{outcome}\n\nPerustelut:\n{decision}\n",
            "\"{title}\"\n\n{outcome}\n\nMotivering:\n{decision}\n",
            "\"{title}\"\n\n{outcome}\n\nReasons:\n{decision}\n",
        ],
    ),
    (
        "correction.accepted",
        [
            "Oikaisuvaatimuksenne hyväksyttiin: hankintapäätös on peruttu, ja tarjoukset arvioidaan uudelleen. Uudesta päätöksestä ilmoitetaan erikseen.",
            "Er begäran om rättelse godkändes: upphandlingsbeslutet har återkallats och anbuden utvärderas på nytt. Det nya beslutet delges separat.",
            "Your correction request was accepted: the award decision is withdrawn and the bids return to evaluation. The new decision will be served separately.",
        ],
    ),
    (
        "correction.rejected",
        [
            "Oikaisuvaatimuksenne hylättiin. Valitusaika markkinaoikeuteen kulkee hankintapäätöksen mukaisesti.",
            "Er begäran om rättelse avslogs. Besvärstiden till marknadsdomstolen löper enligt upphandlingsbeslutet.",
            "Your correction request was rejected. The time for an appeal to the Market Court runs as stated in the award decision.",
        ],
    ),
    (
        "award.withdrawn.subject",
        [
            "Hankintapäätös peruttu: {title}",
            "Upphandlingsbeslutet återkallat: {title}",
            "Award withdrawn: {title}",
        ],
    ),
    (
        "award.withdrawn.body",
        [
            "Tarjouspyynnön \"{title}\" hankintapäätös on peruttu, ja tarjoukset arvioidaan uudelleen. Uusi päätös annetaan tiedoksi kaikille tarjoajille, ja siitä alkavat uusi odotusaika ja uudet muutoksenhakuajat.\n\nSyy: {reason}\n",
            "Upphandlingsbeslutet om anbudsförfrågan \"{title}\" har återkallats och anbuden utvärderas på nytt. Ett nytt beslut delges alla anbudsgivare, och med det börjar en ny väntetid och nya tider för ändringssökande.\n\nSkäl: {reason}\n",
            "The award decision of the call for tenders \"{title}\" was withdrawn and the bids return to evaluation. A new decision will be served to every bidder, with a new standstill period and new deadlines for remedies.\n\nReason: {reason}\n",
        ],
    ),
    // Contracts.
    (
        "contract.activated.subject",
        [
            "Sopimus voimassa: {title}",
            "Kontraktet i kraft: {title}",
            "Contract activated: {title}",
        ],
    ),
    (
        "contract.activated.body",
        [
            "Palvelusopimus \"{title}\" on nyt voimassa.\n\nArvo: {value}\nKausi: {start} – {end}\n",
            "Tjänstekontraktet \"{title}\" är nu i kraft.\n\nVärde: {value}\nPeriod: {start} – {end}\n",
            "The service contract \"{title}\" is now active.\n\nValue: {value}\nPeriod: {start} – {end}\n",
        ],
    ),
    (
        "contract.signed.subject",
        [
            "Sopimus allekirjoitettu: {title}",
            "Kontraktet undertecknat: {title}",
            "Contract signed: {title}",
        ],
    ),
    (
        "contract.signed.body",
        [
            "{by} allekirjoitti palvelusopimuksen \"{title}\". {state}\n",
            "{by} undertecknade tjänstekontraktet \"{title}\". {state}\n",
            "{by} signed the service contract \"{title}\". {state}\n",
        ],
    ),
    (
        "contract.signed.both",
        [
            "Sopimus on nyt molempien osapuolten allekirjoittama, ja tilaaja voi ottaa sen käyttöön.",
            "Kontraktet är nu undertecknat av båda parterna, och beställaren kan ta det i bruk.",
            "Both parties have now signed the contract; the orderer can activate it.",
        ],
    ),
    (
        "contract.signed.yours",
        [
            "Sopimus odottaa teidän allekirjoitustanne.",
            "Kontraktet väntar på er underskrift.",
            "The contract awaits your organisation's signature.",
        ],
    ),
    (
        "contract.amended.subject",
        [
            "Sopimusta muutettu: {title}",
            "Kontraktet ändrat: {title}",
            "Contract amended: {title}",
        ],
    ),
    (
        "contract.amended.body",
        [
            "Palvelusopimusta \"{title}\" on muutettu: versio {version}, arvo {value}.\n\nPeruste: {reason}\n",
            "Tjänstekontraktet \"{title}\" har ändrats: version {version}, värde {value}.\n\nMotivering: {reason}\n",
            "The service contract \"{title}\" was amended: version {version}, value {value}.\n\nReason: {reason}\n",
        ],
    ),
    (
        "contract.terminated.subject",
        [
            "Sopimus irtisanottu: {title}",
            "Kontraktet uppsagt: {title}",
            "Contract terminated: {title}",
        ],
    ),
    (
        "contract.terminated.body",
        [
            "Palvelusopimus \"{title}\" päättyi irtisanomiseen {on}.\n\nPeruste: {reason}\n",
            "Tjänstekontraktet \"{title}\" upphörde genom uppsägning {on}.\n\nMotivering: {reason}\n",
            "The service contract \"{title}\" was terminated on {on}.\n\nReason: {reason}\n",
        ],
    ),
    (
        "contract.deviation.subject",
        [
            "Toteuma poikkeaa ({status}): {title}",
            "Utfallet avviker ({status}): {title}",
            "Realisation {status}: {title}",
        ],
    ),
    (
        "contract.deviation.body",
        [
            "Kauden {period} raportin jälkeen palvelusopimuksen \"{title}\" ennuste on {forecast}, yli 10 % {direction} sovittu {contracted}.\n",
            "Efter rapporten för {period} är prognosen för tjänstekontraktet \"{title}\" {forecast}, mer än 10 % {direction} det avtalade {contracted}.\n",
            "After the report for {period}, the forecast of the service contract \"{title}\" is {forecast}, more than 10 % {direction} the contracted {contracted}.\n",
        ],
    ),
    ("deviation.over", ["yli", "över", "above"]),
    ("deviation.under", ["alle", "under", "below"]),
    ("deviation.OVER", ["yli", "över", "OVER"]),
    ("deviation.UNDER", ["alle", "under", "UNDER"]),
    // The names of a call's fields, as a change lists them.
    ("field.title", ["otsikko", "rubrik", "title"]),
    (
        "field.description",
        ["kuvaus", "beskrivning", "description"],
    ),
    (
        "field.questionsDeadline",
        [
            "kysymysten määräaika",
            "sista dag för frågor",
            "questionsDeadline",
        ],
    ),
    (
        "field.submissionDeadline",
        [
            "tarjousten määräaika",
            "anbudstidens utgång",
            "submissionDeadline",
        ],
    ),
    ("field.lines", ["rivit", "rader", "lines"]),
    (
        "field.priceWeight",
        ["hinnan painoarvo", "prisets vikt", "priceWeight"],
    ),
    (
        "field.qualityCriteria",
        ["laatukriteerit", "kvalitetskriterier", "qualityCriteria"],
    ),
    (
        "field.capabilityRequirements",
        [
            "soveltuvuusvaatimukset",
            "lämplighetskrav",
            "capabilityRequirements",
        ],
    ),
    (
        "field.documentIds",
        ["asiakirjat", "dokument", "documentIds"],
    ),
    (
        "field.estimatedValue",
        ["ennakoitu arvo", "uppskattat värde", "estimatedValue"],
    ),
    (
        "field.titleSv",
        [
            "ruotsinkielinen otsikko",
            "svensk rubrik",
            "title in Swedish",
        ],
    ),
    (
        "field.titleEn",
        [
            "englanninkielinen otsikko",
            "engelsk rubrik",
            "title in English",
        ],
    ),
    (
        "field.descriptionSv",
        [
            "ruotsinkielinen kuvaus",
            "svensk beskrivning",
            "description in Swedish",
        ],
    ),
    (
        "field.descriptionEn",
        [
            "englanninkielinen kuvaus",
            "engelsk beskrivning",
            "description in English",
        ],
    ),
];

fn index(lang: Language) -> usize {
    match lang {
        Language::Fi => 0,
        Language::Sv => 1,
        Language::En => 2,
    }
}

/// The text of `key` in `lang`; the key itself for a key the table does not hold (a test
/// renders every notification in every language and finds none).
pub fn text(key: &str, lang: Language) -> &str {
    TEMPLATES
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, t)| t[index(lang)])
}

/// `key` in `lang` with its placeholders filled. The values are inserted as they are (a value
/// holding `{x}` is not filled again).
pub fn render(key: &str, lang: Language, params: &[(&str, &str)]) -> String {
    let template = text(key, lang);
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match params.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders of a template, sorted and unique.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.push(&after[..close]);
        rest = &after[close + 1..];
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_in_three_languages_with_the_same_placeholders() {
        let mut keys = std::collections::HashSet::new();
        for (key, texts) in TEMPLATES {
            assert!(keys.insert(*key), "{key} twice");
            for t in texts {
                assert!(!t.trim().is_empty(), "{key}");
            }
            let [fi, sv, en] = texts.map(placeholders);
            assert_eq!(fi, en, "{key}: fi and en placeholders");
            assert_eq!(sv, en, "{key}: sv and en placeholders");
        }
        // Finnish and Swedish texts are not English left untranslated (field and status names
        // of the API are the exception in English only).
        for (key, [fi, sv, en]) in TEMPLATES {
            if en.chars().filter(|c| c.is_alphabetic()).count() > 12 {
                assert_ne!(fi, en, "{key}");
                assert_ne!(sv, en, "{key}");
            }
        }
    }

    #[test]
    fn render_fills_what_it_is_given() {
        assert_eq!(
            render(
                "bid.submitted.subject",
                Language::Sv,
                &[("title", "Hemvård")]
            ),
            "Anbud mottaget: Hemvård"
        );
        assert_eq!(
            render("x.{y}", Language::Fi, &[]),
            "x.{y}",
            "an unknown key is itself"
        );
        assert_eq!(
            render(
                "question.asked.subject",
                Language::En,
                &[("title", "{question}")]
            ),
            "New question: {question}",
            "values are not filled again"
        );
    }
}
