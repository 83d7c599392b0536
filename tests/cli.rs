//! The command line: flags on real corpus pages, evaluation against the hand coding, KWIC,
//! lexicon check and test.

use crate::util::{Workdir, fixtures};

#[test]
fn flags_carry_page_evidence_and_coverage() {
    let w = Workdir::new();
    let out = w.run(&fixtures().join("corpus/manifest.csv"), &["--memory-mb", "256"]);
    assert_eq!(out.status.code(), Some(2));
    let ev = w.csv("evidence.csv");
    // The French vigilance article: duty of vigilance on page 1, with a snippet that shows it.
    let hrdd: Vec<_> =
        ev.iter().filter(|e| e["doc_id"] == "FRA_vigilance" && e["concept"] == "hrdd").collect();
    assert!(!hrdd.is_empty());
    assert!(hrdd.iter().any(|e| e["snippet"].to_lowercase().contains("vigilance")));
    // Sub-concepts carry their parent.
    assert!(ev.iter().any(|e| e["concept"] == "access_to_remedy.judicial"
        && e["parent"] == "access_to_remedy"
        && e["doc_id"] == "FRA_liability"));
    // Text inputs are flagged too; the HTML script content is not.
    assert!(ev.iter().any(|e| e["doc_id"] == "NAP_note" && e["concept"] == "hrdd"));
    assert!(ev.iter().any(|e| e["doc_id"] == "NAP_paged"
        && e["concept"] == "public_procurement"
        && e["page"] == "2"));
    assert!(!ev.iter().any(|e| e["doc_id"] == "NAP_html" && e["term"] == "devoir de vigilance"));
    let cov = w.csv("coverage_by_document.csv");
    let r = cov.iter().find(|r| r["doc_id"] == "FRA_vigilance" && r["concept"] == "hrdd").unwrap();
    assert_eq!(r["present"], "true");
    let failed = cov.iter().find(|r| r["doc_id"] == "bad_bomb" && r["concept"] == "hrdd").unwrap();
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["hits"], "");
    let m = w.csv("matrix_by_document.csv");
    let listed =
        csv::Reader::from_path(fixtures().join("corpus/manifest.csv")).unwrap().records().count();
    assert_eq!(m.len(), listed, "failed documents keep their row");
    let c = w.csv("coverage_by_country.csv");
    assert!(
        c.iter().any(|r| r["country"] == "FRA" && r["concept"] == "hrdd" && r["present"] == "true")
    );
}

#[test]
fn false_positives_from_does_not_count_notes() {
    let w = Workdir::new();
    let cases = [
        ("en", "Banks apply customer due diligence under anti-money-laundering rules."),
        ("en", "This will remedy the shortcomings of the previous regulation."),
        ("en", "Members shall declare any conflict of interest."),
        ("en", "The providers shall keep training data and validation data."),
        ("fr", "Le recours à des sous-traitants est autorisé."),
        // Stemming collisions: the Snowball stem of a verb or an adjective is the stem of a term.
        ("en", "Such systems are likely to have a minor impact and cause minor delays."),
        ("en", "Where States own or control business enterprises."),
        ("es", "Un ordenamiento jurídico orientado a prevenir vulneraciones de las empresas."),
        ("es", "Las empresas publican sus resultados."),
        ("es", "Se registraron situaciones de vulneración de derechos."),
        ("fr", "Le traité de Rome a été signé en 1957."),
    ];
    for (lang, text) in cases {
        let (_, s) = w.lexicon_test(lang, &[], text);
        assert!(s.contains("no term fires"), "{text}: {s}");
    }
    let (_, s) = w.lexicon_test(
        "de",
        &[],
        "Die Unternehmen erfüllen ihre Sorgfaltspflichten in ihren Lieferketten.",
    );
    assert!(s.contains("hrdd"));
}

/// French false positives the train coding showed on the CSDDD (pages coded without the concept),
/// each next to the sense that still counts: a company's purchasing ("passation de marchés") is not
/// public procurement; "afin de rendre compte de" (to reflect) is not reporting; a company's
/// yearly assessment is not the directive's own review.
#[test]
fn french_senses_the_train_coding_keeps_apart() {
    let w = Workdir::new();
    let cases = [
        (
            "public_procurement",
            "Les entreprises devraient évaluer les pratiques commerciales, tarifaires et en matière de passation de marchés du partenaire.",
            "Les règles de passation des marchés publics tiennent compte des droits de l'homme.",
        ),
        (
            "reporting_disclosure",
            "Afin de rendre compte de toute la gamme d'options lorsqu'il n'a pu être remédié aux incidences négatives, la directive prévoit des garanties.",
            "Les entreprises doivent rendre compte de la manière dont elles remédient aux incidences négatives sur les droits de l'homme.",
        ),
        (
            "nap_monitoring_review",
            "L'entreprise devrait évaluer les incidences négatives au moins tous les douze mois; l'évaluation couvre les entreprises relevant de la présente directive.",
            "Au plus tard le 26 juillet 2030, la Commission procède à une évaluation du fonctionnement de ces règles.",
        ),
    ];
    for (concept, absent, present) in cases {
        w.senses_apart("fr", concept, (&[], absent), (&[], present));
    }
}

/// Climate mitigation is no mitigation of human rights risks, and remedying a notified body's
/// suspension is no remedy for victims (lexicon 2026.12.6, from hits on uncoded train pages); nor
/// are a ministry's name, vocational training or a transparent procedure (2026.12.7), nor a
/// "coherent" whole (2026.12.8).
#[test]
fn mitigation_of_carbon_and_remedy_of_a_suspension_are_other_senses() {
    let w = Workdir::new();
    let title = ["--title", "Ferramenta de triagem de direitos humanos"];
    let cases = [
        (
            "pt",
            "hrdd",
            "Os projetos de mitigação de carbono podem afetar as terras das comunidades.",
            "A equipe deve mitigar os impactos identificados para as comunidades.",
        ),
        (
            "en",
            "access_to_remedy",
            "The notifying authority has outlined a timeline for actions to remedy the suspension or restriction of affected certificates.",
            "Companies shall remedy the harm suffered by affected victims.",
        ),
        // 2026.12.7: a ministry's name, vocational training, and a transparent procedure are
        // other senses than access to remedy, training on human rights and disclosure.
        (
            "es",
            "access_to_remedy",
            "El Viceministerio de Derechos Humanos y Acceso a la Justicia aprobó la metodología.",
            "Las víctimas enfrentan barreras que afectan el acceso a la justicia.",
        ),
        (
            "es",
            "training_capacity_building",
            "Los programas de formación laboral incorporan el enfoque de empleo de la persona con discapacidad.",
            "Se implementarán programas de formación en derechos humanos para jueces y fiscales.",
        ),
        (
            "fr",
            "reporting_disclosure",
            "Les entreprises procèdent à des consultations efficaces et transparentes avec les parties prenantes.",
            "La transparence des chaînes de valeur des entreprises est renforcée par la publication des plans de vigilance.",
        ),
        // 2026.12.8: "coherent" is the generic adjective the concept's notes leave out; the
        // stemmer gave it the noun's stem.
        (
            "en",
            "policy_coherence",
            "These Guiding Principles should be understood as a coherent whole with regard to business and human rights.",
            "States should ensure policy coherence between trade agreements and their human rights obligations.",
        ),
        (
            "es",
            "policy_coherence",
            "Los Principios Rectores integran las normas en un modelo coherente para el Estado y las empresas.",
            "El Estado debe asegurar la coherencia de las políticas públicas con los derechos humanos.",
        ),
        // 2026.12.11: an environmental impact study is the assessment the concept's notes leave out.
        (
            "es",
            "hria",
            "Estudios de Impacto Ambiental (EIA) de los proyectos con participación social.",
            "Los estudios de impacto en derechos humanos de los proyectos mineros.",
        ),
        // 2026.12.12: human rights defenders are a group at risk, not the Défenseur des droits;
        // an AI system that monitors workers' performance is no monitoring of a plan or a law.
        (
            "fr",
            "nhri",
            "Les organisations de la société civile et les défenseurs des droits de l'homme peuvent déposer une plainte.",
            "Le Défenseur des droits est saisi de la réclamation.",
        ),
        (
            "en",
            "nap_monitoring_review",
            "AI systems intended to be used to monitor and evaluate the performance and behaviour of persons in such relationships.",
            "The plan sets up a monitoring and evaluation framework with indicators.",
        ),
    ];
    for (lang, concept, absent, present) in cases {
        w.senses_apart(lang, concept, (&title, absent), (&title, present));
    }
}

/// German statute words in the senses of other fields (lexicon 2026.12.9, from hits in the 6,119
/// laws): competition and market-surveillance *Abhilfemaßnahmen* are no due diligence, the federal
/// share of housing costs is no state-owned enterprise, a company officer's annual report to the
/// operator and an issuer's interim report are no review of a law.
#[test]
fn german_statute_words_in_other_fields_senses() {
    let w = Workdir::new();
    let cases = [
        (
            "hrdd",
            "Gesetz gegen Wettbewerbsbeschränkungen",
            "Sie kann ihnen hierzu alle erforderlichen Abhilfemaßnahmen verhaltensorientierter oder struktureller Art vorschreiben.",
            "Gesetz über die unternehmerischen Sorgfaltspflichten in Lieferketten",
            "Stellt das Unternehmen fest, dass die Verletzung einer menschenrechtsbezogenen Pflicht eingetreten ist, hat es unverzüglich angemessene Abhilfemaßnahmen zu ergreifen.",
        ),
        (
            "state_business_nexus",
            "Bundesbeteiligungs-Festlegungsverordnung",
            "Verordnung zur Festlegung der Bundesbeteiligung an den Leistungen für Unterkunft und Heizung.",
            "Gesetz über die Beteiligungen des Bundes",
            "Die Bundesbeteiligung an dem Unternehmen wird vom Bundesministerium der Finanzen verwaltet.",
        ),
        (
            "nap_monitoring_review",
            "Bundes-Immissionsschutzgesetz",
            "Der Immissionsschutzbeauftragte erstattet dem Betreiber jährlich einen Bericht über die getroffenen Maßnahmen.",
            "Gesetz zur Errichtung einer Stiftung",
            "Die Stiftung legt dem Deutschen Bundestag in jeder Legislaturperiode einen Bericht über ihre Tätigkeit vor.",
        ),
        // 2026.12.10: "der Betroffene" is the person concerned by any procedure. A court hearing
        // of that person is no stakeholder consultation, compensation for expropriation no
        // remedy, genetic counselling no guidance to business.
        (
            "stakeholder_engagement",
            "Gesetz über das Verfahren in Familiensachen",
            "Das Gericht kann die einstweilige Anordnung vor der persönlichen Anhörung des Betroffenen erlassen.",
            "Telekommunikationsgesetz",
            "Die Bundesnetzagentur veröffentlicht nach Anhörung der betroffenen Kreise Grundsätze über die Ermittlung der Preise.",
        ),
        (
            "access_to_remedy",
            "Baugesetzbuch",
            "Der Antragsteller hat dem Betroffenen die Entschädigung für das enteignete Grundstück zu leisten.",
            "Gesetz über die internationale Rechtshilfe",
            "Die Entschädigung der verletzten Person richtet sich nach den Vorschriften über das Adhäsionsverfahren.",
        ),
        (
            "training_capacity_building",
            "Gendiagnostikgesetz",
            "Die verantwortliche ärztliche Person soll der betroffenen Person eine genetische Beratung anbieten.",
            "Mutterschutzgesetz",
            "Die Aufsichtsbehörde berät den Arbeitgeber bei der Erfüllung seiner Pflichten nach diesem Gesetz.",
        ),
    ];
    for (concept, title_absent, absent, title_present, present) in cases {
        w.senses_apart(
            "de",
            concept,
            (&["--title", title_absent], absent),
            (&["--title", title_present], present),
        );
    }
}

/// A plan's own monitoring words count in a National Action Plan (`doc_type:nap` anchors) and not
/// in a law: French and German NAPs as Spanish ones.
#[test]
fn plan_monitoring_words_count_only_in_plans() {
    let w = Workdir::new();
    for (lang, text) in [
        ("fr", "Les indicateurs du plan seront publiés chaque année."),
        ("de", "Das Monitoring der Umsetzung beginnt im Jahr 2018."),
        ("en", "The follow-up of each action is described below."),
    ] {
        let fires = |doc_type: &str| {
            w.lexicon_test(lang, &["--doc-type", doc_type], text)
                .1
                .contains("nap_monitoring_review")
        };
        assert!(fires("nap"), "{text}");
        assert!(!fires("law"), "{text}");
    }
}

/// Portuguese, the fifth language, has no hand coding in either tier: every concept must at least
/// fire on the wording of the instruments' Portuguese versions (European and Brazilian spelling),
/// and the false positives found by hand on the TNC screening tool must stay fixed.
#[test]
fn portuguese_field_vocabulary_reaches_every_concept() {
    let w = Workdir::new();
    let fires = |text: &str| {
        let (ok, s) = w.lexicon_test("pt", &[], text);
        assert!(ok);
        s
    };
    let cases = [
        ("smart_mix", "O Estado deve considerar uma combinação inteligente de medidas."),
        ("reporting_disclosure", "As empresas publicam uma declaração de sustentabilidade."),
        ("state_business_nexus", "As empresas de propriedade estatal devem dar o exemplo."),
        ("public_procurement", "As autoridades adjudicantes podem incluir critérios sociais."),
        ("conflict_affected_areas", "Empresas que operam em zonas afetadas por conflitos."),
        ("policy_coherence", "O Governo assegura a coerência das políticas de direitos humanos."),
        ("training_capacity_building", "Serão organizadas ações de formação para magistrados."),
        ("nhri", "A Provedoria de Justiça recebe queixas dos cidadãos."),
        ("hrdd", "As empresas devem identificar, prevenir e mitigar os impactos negativos."),
        ("hria", "O plano avalia os impactos sobre os direitos humanos do projeto."),
        ("stakeholder_engagement", "Foi elaborado com a participação da sociedade civil."),
        ("access_to_remedy", "As vítimas têm acesso a mecanismos de reparação eficazes."),
        ("access_to_remedy.grievance", "Os denunciantes são protegidos contra a retaliação."),
        ("access_to_remedy.judicial", "A indemnização dos danos sofridos pelas vítimas."),
        ("groups_at_risk", "O plano protege os trabalhadores migrantes."),
        ("technology_ai_digital", "O uso de decisões automatizadas exige supervisão humana."),
        ("nap_monitoring_review", "A avaliação intercalar do Plano Nacional de Ação."),
    ];
    for (concept, text) in cases {
        let s = fires(text);
        assert!(s.lines().any(|l| l.starts_with(&format!("{concept} "))), "{text}: {s}");
    }
    // Precision: a reference to the tool's companion guide is no training; an expectation on a
    // community is no smart mix; a verb ("publicam") is not the adjective ("públicas") though the
    // Portuguese stemmer gives both one stem.
    for text in [
        "Para mais informações, consulte o Guia de Direitos Humanos.",
        "Não deve haver expectativa desse trabalho por parte das empresas.",
        "As empresas publicam os seus resultados.",
    ] {
        let s = fires(text);
        assert!(s.contains("no term fires"), "{text}: {s}");
    }
}

#[test]
fn eval_scores_the_default_corpus_against_hand_coding() {
    let w = Workdir::new();
    let out =
        w.run(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/manifest.csv"), &[]);
    assert!(out.status.code() == Some(0) || out.status.code() == Some(2));
    let g = fixtures().join("gold");
    let out = w
        .cmd(&[
            "eval",
            "--gold-pages",
            g.join("pages.csv").to_str().unwrap(),
            "--gold-labels",
            g.join("labels.csv").to_str().unwrap(),
            "--out",
            w.path("out").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows = w.csv("eval.csv");
    let micro = |level: &str| {
        rows.iter().find(|r| r["level"] == level && r["concept"] == "_micro").unwrap()["f1"]
            .parse::<f64>()
            .unwrap()
    };
    // The train tier of ../shared/gold (122 pages in five languages' documents); the figures the
    // lexicon was written against, kept as a floor.
    assert!(micro("page") >= 0.82, "page micro-F1 {}", micro("page"));
    assert!(micro("document") >= 0.85, "document micro-F1 {}", micro("document"));
    // KWIC over the run's evidence.
    let k = w
        .cmd(&[
            "kwic",
            "hrdd",
            "--out",
            w.path("out").to_str().unwrap(),
            "--country",
            "FRA",
            "--index",
            w.path("index").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&k.stdout);
    assert!(s.lines().count() > 5 && s.lines().all(|l| l.starts_with("FRA_")), "{s}");
}

#[test]
fn lexicon_check_reports_file_and_line() {
    let w = Workdir::new();
    let ok = w.cmd(&["lexicon", "check"]).output().unwrap();
    assert!(ok.status.success());
    assert!(String::from_utf8_lossy(&ok.stdout).contains("ungp"));
    let bad = w.path("bad.toml");
    std::fs::write(&bad, "name = \"x\"\nversion = \"1\"\n[[concept]]\nid = \"a\"\nlabel = \"A\"\npillar = \"p\"\nungp = \"1\"\n[concept.terms]\nen = [{ regex = \"([\" }]\n").unwrap();
    let out = w.cmd(&["lexicon", "check", bad.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.toml:9: invalid regex"));
    // The shipped commitment rules are a rules file, not a broken lexicon.
    let rules = w.cmd(&["lexicon", "check", "lexicons/commitment.toml"]).output().unwrap();
    assert!(rules.status.success(), "{}", String::from_utf8_lossy(&rules.stderr));
    assert!(String::from_utf8_lossy(&rules.stdout).contains("commitment rules"));
    // A scope the lexicon does not know fails with file and line.
    let scoped = w.path("scoped.toml");
    std::fs::write(&scoped, "name = \"x\"\nversion = \"1\"\n[[concept]]\nid = \"a\"\nlabel = \"A\"\npillar = \"p\"\nungp = \"1\"\n[concept.terms]\nen = [{ phrase = \"risk\", near = [\"rights\"], scope = \"chapter\" }]\n").unwrap();
    let out = w.cmd(&["lexicon", "check", scoped.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("scoped.toml:9: invalid scope `chapter`")
    );
}

#[test]
fn lexicon_suggest_and_eval_misses_on_the_hand_coding() {
    let w = Workdir::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let m = root.join("corpus/manifest.csv");
    let out = w.run(&m, &[]);
    assert!(matches!(out.status.code(), Some(0) | Some(2)));
    let g = fixtures().join("gold");
    let (pages, labels) = (g.join("pages.csv"), g.join("labels.csv"));
    let (idx, o) = (w.path("index"), w.path("out"));
    let common = [
        "--manifest",
        m.to_str().unwrap(),
        "--index",
        idx.to_str().unwrap(),
        "--gold-pages",
        pages.to_str().unwrap(),
        "--gold-labels",
        labels.to_str().unwrap(),
    ];
    let mut args = vec!["lexicon", "suggest", "--concept", "groups_at_risk", "--lang", "de"];
    args.extend_from_slice(&common);
    let s = w.cmd(&args).output().unwrap();
    assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
    let text = String::from_utf8_lossy(&s.stdout);
    // Maternity-protection pages are coded for groups at risk; "Frau" is what sets them apart.
    assert!(
        text.lines().any(|l| l.starts_with("groups_at_risk") && l.contains(" frau ")),
        "{text}"
    );
    let mut args = vec!["eval", "--misses", "--out", o.to_str().unwrap()];
    args.extend_from_slice(&common);
    let e = w.cmd(&args).output().unwrap();
    assert!(e.status.success(), "{}", String::from_utf8_lossy(&e.stderr));
    let text = String::from_utf8_lossy(&e.stdout);
    assert!(text.contains("page-level, per language"), "{text}");
    assert!(text.contains("coded pages without a hit"), "{text}");
    assert!(
        text.lines().any(|l| l.trim_start().starts_with("false") && l.contains("fired:")),
        "{text}"
    );
}

#[test]
fn an_unwritable_output_folder_stops_the_run_before_any_work() {
    let w = Workdir::new();
    let file = w.path("a_file");
    std::fs::write(&file, "not a folder").unwrap();
    let out_dir = file.join("out");
    let idx = w.path("index");
    let out = w
        .cmd(&["run", "--out", out_dir.to_str().unwrap(), "--index", idx.to_str().unwrap(), "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a_file"), "{err}");
    assert!(!idx.exists(), "the index was touched before the output folder was checked");
    // A missing manifest: one clear message, said once, and no index folder or lock file.
    let out = w
        .cmd(&["run", "--manifest", "nope.csv", "--index", idx.to_str().unwrap(), "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    assert!(!idx.exists());
}

#[test]
fn search_errors_point_at_the_problem_and_list_valid_values() {
    let w = Workdir::new();
    let out = w.run(&fixtures().join("corpus/manifest.csv"), &["--ocr", "off"]);
    assert!(matches!(out.status.code(), Some(0) | Some(2)));
    let idx = w.path("index");
    let search = |args: &[&str]| {
        let mut a = vec!["search", "--index", idx.to_str().unwrap()];
        a.extend_from_slice(args);
        let o = w.cmd(&a).output().unwrap();
        (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned())
    };
    let (code, err) = search(&["\"grievance mechanism"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("unbalanced quote") && err.contains("from character 1"), "{err}");
    let (code, err) = search(&["vigilance", "--lang", "xx"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("unknown language `xx`") && err.contains("en, fr"), "{err}");
    let (code, err) = search(&["vigilance", "--concept", "nope"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("unknown concept `nope`") && err.contains("hrdd"), "{err}");
    let (code, _) = search(&["vigilance", "--lang", "FR"]);
    assert_eq!(code, Some(0), "language codes ignore case");
    let (code, err) = search(&["xyzzyq"]);
    assert_eq!(code, Some(1), "nothing found");
    assert!(err.contains("no page matches") || err.is_empty(), "{err}");
    let (code, err) = search(&["the", "--limit", "1"]);
    assert_eq!(code, Some(0));
    assert!(err.contains("showing the best 1 of"), "a cut list says so: {err}");
}

/// Output piped into a reader that stops early (`napscan eval … | head`) ends the command quietly
/// with exit 0, as for search and kwic; `lexicon` and `eval` used to panic on the closed pipe
/// (exit 101).
#[test]
fn a_closed_stdout_ends_lexicon_and_eval_quietly() {
    use std::process::Stdio;
    let w = Workdir::new();
    let text = "Companies shall carry out human rights due diligence and provide access to remedy.";
    let gold = w.path("gold.csv");
    std::fs::write(
        &gold,
        "id,doc_id,lang,sentence,label\ns1,d,en,Providers shall keep the logs.,mandatory\n",
    )
    .unwrap();
    let out_dir = w.path("eval");
    let commands: [Vec<&str>; 2] = [
        vec!["lexicon", "test", "--lang", "en", text],
        vec![
            "eval",
            "--quiet",
            "--out",
            out_dir.to_str().unwrap(),
            "--gold-commitment",
            gold.to_str().unwrap(),
        ],
    ];
    for args in commands {
        let mut child = w.cmd(&args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}
