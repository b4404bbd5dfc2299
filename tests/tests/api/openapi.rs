//! The checked-in `openapi.yaml` is exactly what the code generates.

#[test]
fn checked_in_spec_matches_the_code() {
    let generated = api::cli::spec_text(api::cli::SpecFormat::Yaml).unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml");
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        generated == checked_in,
        "openapi.yaml is out of date: run `cargo run -p api -- openapi > openapi.yaml`"
    );
}

#[test]
fn every_operation_has_an_id_a_tag_and_error_responses() {
    let doc = serde_json::to_value(api::startup::documented_routes()).unwrap();
    assert_eq!(doc["openapi"].as_str().map(|v| &v[..3]), Some("3.1"));
    assert_eq!(doc["info"]["license"]["identifier"], "Apache-2.0");
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let mut seen = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            seen += 1;
            assert!(
                op["operationId"].is_string(),
                "{method} {path} has no operationId"
            );
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{method} {path} has no tag"
            );
            let responses = op["responses"].as_object().unwrap();
            if path.starts_with("/api/") {
                assert!(
                    responses.contains_key("400"),
                    "{method} {path} documents no 400"
                );
                assert!(
                    responses.contains_key("500"),
                    "{method} {path} documents no 500"
                );
            }
        }
    }
    assert!(seen >= 5);
}

#[test]
fn every_reference_resolves() {
    let doc = serde_json::to_value(api::startup::documented_routes()).unwrap();
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(!refs.is_empty());
    for r in refs {
        let pointer = r
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("external reference {r}"));
        assert!(doc.pointer(pointer).is_some(), "unresolvable reference {r}");
    }
}

fn collect_refs(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", serde_json::Value::String(r)) => out.push(r.clone()),
                    _ => collect_refs(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect_refs(i, out)),
        _ => {}
    }
}
