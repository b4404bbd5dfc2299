//! Control characters (NUL above all: PostgreSQL cannot store it in text) are refused
//! wherever text comes in, the same way on both databases and never with a 5xx: every
//! string field of every documented request body, every query parameter, every path
//! parameter, forms, HTTP Basic credentials, cursors and CSV import cells.

use actix_web::http::Method;
use base64::Engine;
use serde_json::{Value, json};
use tests::{TestApp, both_backends};

both_backends!(
    every_string_field_of_every_body_refuses_control_characters,
    every_query_and_path_parameter_refuses_control_characters,
    logins_and_registrations_with_nul_are_refused_and_change_nothing,
    a_csv_cell_with_nul_is_a_row_error,
);

const NUL_TEXT: &str = "a\u{0}b";

/// A step into a JSON body.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    First,
}

/// How the API names a place in a body: `name`, `members[0].name`.
fn field_name(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Step::First => out.push_str("[0]"),
        }
    }
    out
}

fn resolve<'d>(doc: &'d Value, schema: &'d Value) -> (&'d Value, Option<String>) {
    match schema["$ref"].as_str() {
        Some(r) => (
            doc.pointer(r.strip_prefix('#').unwrap()).unwrap(),
            Some(r.to_owned()),
        ),
        None => (schema, None),
    }
}

fn is_type(schema: &Value, name: &str) -> bool {
    match &schema["type"] {
        Value::String(t) => t == name,
        Value::Array(ts) => ts.iter().any(|t| t == name),
        _ => false,
    }
}

/// Every place of a string in bodies of `schema`, following `$ref`, compositions, nested
/// objects, maps and arrays.
fn string_places(
    doc: &Value,
    schema: &Value,
    at: &mut Vec<Step>,
    seen: &mut Vec<String>,
    out: &mut Vec<Vec<Step>>,
) {
    let (schema, reference) = resolve(doc, schema);
    if let Some(r) = &reference {
        if seen.contains(r) || seen.len() > 8 {
            return;
        }
        seen.push(r.clone());
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for alternative in schema[key].as_array().into_iter().flatten() {
            string_places(doc, alternative, at, seen, out);
        }
    }
    if is_type(schema, "string") && !at.is_empty() && !out.contains(at) {
        out.push(at.clone());
    }
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        at.push(Step::Key(name.clone()));
        string_places(doc, property, at, seen, out);
        at.pop();
    }
    if schema["additionalProperties"].is_object() {
        at.push(Step::Key("extra".into()));
        string_places(doc, &schema["additionalProperties"], at, seen, out);
        at.pop();
    }
    if schema["items"].is_object() {
        at.push(Step::First);
        string_places(doc, &schema["items"], at, seen, out);
        at.pop();
    }
    if reference.is_some() {
        seen.pop();
    }
}

/// `body` with `value` at `path`, making the objects and arrays on the way.
fn set_at(body: &mut Value, path: &[Step], value: Value) {
    let Some((step, rest)) = path.split_first() else {
        *body = value;
        return;
    };
    match step {
        Step::Key(k) => {
            if !body.is_object() {
                *body = json!({});
            }
            let slot = body
                .as_object_mut()
                .unwrap()
                .entry(k.clone())
                .or_insert(Value::Null);
            set_at(slot, rest, value);
        }
        Step::First => {
            if body.as_array().is_none_or(Vec::is_empty) {
                *body = json!([null]);
            }
            set_at(&mut body.as_array_mut().unwrap()[0], rest, value);
        }
    }
}

/// The documented operations: (method, path template, operation).
fn operations(doc: &Value) -> Vec<(Method, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            all.push((method, path.clone(), op.clone()));
        }
    }
    all
}

/// The path with every parameter filled with `value`.
fn fill(template: &str, value: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').unwrap() + open;
        out.push_str(value);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// For every operation with a JSON body and every string field of it (following `$ref`,
/// nested objects and arrays), a valid-ish body (the schema's example) with NUL in that
/// field gets 422 `validation_failed` naming exactly that field, with code
/// `control_character`, before anything else is looked at.
async fn every_string_field_of_every_body_refuses_control_characters(app: TestApp) {
    let doc = serde_json::to_value(api::startup::documented_routes()).unwrap();
    let admin = app.admin_token().await;
    let auth = format!("Bearer {admin}");
    let (mut operations_seen, mut fields_seen) = (0, 0);
    for (method, template, op) in operations(&doc) {
        let content = &op["requestBody"]["content"]["application/json"];
        if !content.is_object() {
            continue;
        }
        operations_seen += 1;
        let (schema, _) = resolve(&doc, &content["schema"]);
        let example = [&content["example"], &schema["example"]]
            .into_iter()
            .find(|e| e.is_object() || e.is_array())
            .cloned()
            .unwrap_or_else(|| json!({}));
        let mut places = Vec::new();
        string_places(
            &doc,
            &content["schema"],
            &mut Vec::new(),
            &mut Vec::new(),
            &mut places,
        );
        let path = fill(&template, "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f");
        for place in places {
            fields_seen += 1;
            let mut body = example.clone();
            set_at(&mut body, &place, json!(NUL_TEXT));
            let field = field_name(&place);
            let res = app
                .send(
                    method.clone(),
                    &path,
                    &[("authorization", &auth)],
                    Some(("application/json", body.to_string().into_bytes())),
                )
                .await;
            assert_eq!(
                res.status,
                422,
                "{method} {template} with NUL in {field}: {}",
                res.text()
            );
            let p = res.assert_problem(422, "validation_failed");
            assert_eq!(
                p["errors"],
                json!([{"field": field, "code": "control_character", "message": p["errors"][0]["message"]}]),
                "{method} {template}"
            );
        }
    }
    // The walk reached the API's bodies, not a corner of it.
    assert!(operations_seen >= 30, "{operations_seen} operations");
    assert!(fields_seen >= 140, "{fields_seen} fields");
}

/// Every documented query parameter with a NUL is 400 `invalid_parameter` naming it; a
/// path parameter with one names nothing (404, as an unknown id). Never a 5xx.
async fn every_query_and_path_parameter_refuses_control_characters(app: TestApp) {
    let doc = serde_json::to_value(api::startup::documented_routes()).unwrap();
    let admin = app.admin_token().await;
    let auth = format!("Bearer {admin}");
    let (mut queries, mut paths) = (0, 0);
    for (method, template, op) in operations(&doc) {
        let params: Vec<&Value> = op["parameters"].as_array().into_iter().flatten().collect();
        for param in &params {
            let name = param["name"].as_str().unwrap();
            let res = match param["in"].as_str() {
                Some("query") => {
                    queries += 1;
                    let path = format!("{}?{name}=a%00b", fill(&template, "x"));
                    let res = app
                        .send(method.clone(), &path, &[("authorization", &auth)], None)
                        .await;
                    let p = res.assert_problem(400, "invalid_parameter");
                    assert_eq!(p["errors"][0]["field"], name, "{method} {path}: {p}");
                    assert_eq!(p["errors"][0]["code"], "control_character", "{p}");
                    res
                }
                Some("path") => {
                    paths += 1;
                    let path = fill(&template, "%00");
                    let res = app
                        .send(method.clone(), &path, &[("authorization", &auth)], None)
                        .await;
                    assert_eq!(res.status, 404, "{method} {path}: {}", res.text());
                    res
                }
                _ => continue,
            };
            assert!(!res.status.is_server_error());
        }
    }
    assert!(
        queries >= 50 && paths >= 50,
        "{queries} query, {paths} path"
    );
    // The cases that answered 500 on PostgreSQL, and their neighbours.
    app.get("/api/v1/public/needs/%00")
        .await
        .assert_problem(404, "not_found");
    app.get("/api/v1/public/needs/0193a6f4%1B")
        .await
        .assert_problem(404, "not_found");
    for (query, field) in [
        ("region=%00", "region"),
        ("q=a%00b", "q"),
        ("category=education&target_group=%7F", "target_group"),
    ] {
        let p = app
            .get(&format!("/api/v1/public/needs?{query}"))
            .await
            .assert_problem(400, "invalid_parameter");
        assert_eq!(p["errors"][0]["field"], field, "{p}");
    }
    // Tab, CR and LF are text like any other: not refused here.
    let res = app.get("/api/v1/public/needs?category=a%09b").await;
    assert_ne!(
        res.json()["errors"][0]["code"],
        "control_character",
        "{}",
        res.text()
    );
    // A made-up cursor carrying NUL is not one this API returned.
    let cursor = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("\"a\\u0000b\"");
    let p = app
        .get_as(&admin, &format!("/api/v1/users?cursor={cursor}"))
        .await
        .assert_problem(400, "invalid_parameter");
    assert_eq!(p["errors"][0]["field"], "cursor", "{p}");
    assert_eq!(p["errors"][0]["code"], "invalid_cursor", "{p}");
}

/// The requests that reached the database with NUL: an anonymous login (JSON, form, HTTP
/// Basic), sign-up, and registrations; each is refused naming the field, and nothing was
/// written.
async fn logins_and_registrations_with_nul_are_refused_and_change_nothing(app: TestApp) {
    let p = app
        .post_json(
            "/api/v1/auth/token",
            &[],
            &json!({"grant_type": "password", "username": "ad\u{0}min", "password": "x"}),
        )
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "username", "{p}");
    assert_eq!(p["errors"][0]["code"], "control_character", "{p}");
    assert!(
        !p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains('\u{0}'),
        "{p}"
    );
    let p = app
        .send(
            Method::POST,
            "/api/v1/auth/token",
            &[],
            Some((
                "application/x-www-form-urlencoded",
                b"grant_type=password&username=admin&password=p%00w".to_vec(),
            )),
        )
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "password", "{p}");
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("client\u{0}:secret")
    );
    let p = app
        .post_json(
            "/api/v1/auth/token",
            &[("authorization", &basic)],
            &json!({"grant_type": "client_credentials"}),
        )
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "client_id", "{p}");
    let p = app
        .post_json("/api/v1/auth/revoke", &[], &json!({"token": "\u{0}"}))
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "token", "{p}");
    // Anonymous sign-up, with the character deep in a valid body.
    let p = app
        .post_json(
            "/api/v1/accounts",
            &[],
            &json!({"username": "wang.donor", "password": "Aixin-2026-ln", "role": "donor", "display_name": "王\u{0}先生"}),
        )
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "display_name", "{p}");
    app.post_json(
        "/api/v1/auth/token",
        &[],
        &json!({"grant_type": "password", "username": "wang.donor", "password": "Aixin-2026-ln"}),
    )
    .await
    .assert_problem(401, "unauthorized");

    // Registrations by callers allowed to make them.
    let county = app.user("county_official", Some("210921")).await;
    let donor = app.user("donor", None).await;
    let cases = [
        (
            &county.token,
            "/api/v1/organizations",
            json!({"kind": "foundation", "name": "辽宁\u{0}基金会", "region_code": "210921"}),
            "name",
        ),
        (
            &county.token,
            "/api/v1/villages",
            json!({"region_code": "210921100202", "registered_year": 2014, "population": 1320, "poor_household_count": 86, "notes": "\u{1b}[2J"}),
            "notes",
        ),
        (
            &county.token,
            "/api/v1/households",
            json!({"household_number": "2109211002020001", "region_code": "210921100202", "members": [{"name": "张三", "relation": "head"}, {"name": "李\u{0}四", "relation": "spouse"}]}),
            "members[1].name",
        ),
        (
            &county.token,
            "/api/v1/needs",
            json!({"title": "冬季取暖\u{0}", "category": "education"}),
            "title",
        ),
        (
            &donor.token,
            "/api/v1/pledges",
            json!({"need_id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "amount_fen": 100, "note": "\u{0}"}),
            "note",
        ),
    ];
    for (token, path, body, field) in cases {
        let p = app
            .post_as(token, path, &body)
            .await
            .assert_problem(422, "validation_failed");
        assert_eq!(p["errors"][0]["field"], field, "{path}: {p}");
        assert_eq!(p["errors"][0]["code"], "control_character", "{path}: {p}");
    }
    let admin = app.admin_token().await;
    for list in [
        "/api/v1/organizations",
        "/api/v1/villages",
        "/api/v1/households",
        "/api/v1/needs",
    ] {
        assert!(app.walk_as(&admin, list).await.is_empty(), "{list}");
    }
}

/// A CSV cell with NUL is that row's error (at its column), the other rows import; the
/// same on both databases.
async fn a_csv_cell_with_nul_is_a_row_error(app: TestApp) {
    let admin = app.admin_token().await;
    let auth = format!("Bearer {admin}");
    let file = "region_code,registered_year,population,poor_household_count,notes\n\
                210921100202,2014,1320,86,\n\
                210921100203,2014,900,40,玉\u{0}米\n"
        .as_bytes()
        .to_vec();
    let res = app
        .send(
            Method::POST,
            "/api/v1/imports?kind=villages",
            &[("authorization", &auth)],
            Some(("text/csv", file)),
        )
        .await;
    assert_eq!(res.status, 202, "{}", res.text());
    let location = res.header("location").unwrap().to_owned();
    let mut job = Value::Null;
    for _ in 0..600 {
        job = app.get_as(&admin, &location).await.json();
        if ["succeeded", "completed_with_errors", "failed"]
            .contains(&job["status"].as_str().unwrap())
        {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(job["status"], "completed_with_errors", "{job}");
    assert_eq!(job["errors"].as_array().unwrap().len(), 1, "{job}");
    let e = &job["errors"][0];
    assert_eq!(
        (&e["row"], &e["column"], &e["code"]),
        (&json!(3), &json!("notes"), &json!("control_character")),
        "{job}"
    );
    let listed = app.walk_as(&admin, "/api/v1/villages").await;
    let codes: Vec<&str> = listed
        .iter()
        .map(|v| v["region_code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["210921100202"]);
}
