use std::collections::HashSet;

use domain::region::reference::liaoning_divisions;
use domain::region::{RegionCode, RegionLevel};
use tests::{TestApp, both_backends};

both_backends!(
    lists_the_fourteen_cities,
    county_detail_shows_its_ancestry,
    walking_a_county_returns_every_township_once,
    parent_with_level_lists_the_whole_subtree,
    level_alone_lists_every_county,
    village_detail_has_four_ancestors,
    invalid_codes_and_parameters_are_problems,
    unknown_regions_are_not_found,
    etag_allows_conditional_reads,
);

fn expected_under(parent: &str, level: RegionLevel) -> Vec<String> {
    let parent = RegionCode::parse(parent).unwrap();
    let mut codes: Vec<String> = liaoning_divisions()
        .unwrap()
        .into_iter()
        .filter(|r| r.level() == level && parent.contains(&r.code))
        .map(|r| r.code.to_string())
        .collect();
    codes.sort();
    codes
}

async fn lists_the_fourteen_cities(app: TestApp) {
    let res = app.get("/api/v1/regions?parent=210000&level=city").await;
    assert_eq!(res.status, 200);
    let page = res.json();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 14);
    assert_eq!(page["next_cursor"], serde_json::Value::Null);
    let pairs: Vec<(&str, &str)> = items
        .iter()
        .map(|i| (i["code"].as_str().unwrap(), i["name"].as_str().unwrap()))
        .collect();
    assert_eq!(pairs[0], ("210100", "沈阳市"));
    assert_eq!(pairs[8], ("210900", "阜新市"));
    assert_eq!(pairs[13], ("211400", "葫芦岛市"));
    assert!(
        items
            .iter()
            .all(|i| i["level"] == "city" && i["parent_code"] == "210000")
    );
}

async fn county_detail_shows_its_ancestry(app: TestApp) {
    let res = app.get("/api/v1/regions/210921").await;
    assert_eq!(res.status, 200);
    let r = res.json();
    assert_eq!(r["name"], "阜新蒙古族自治县");
    assert_eq!(r["level"], "county");
    assert_eq!(r["parent_code"], "210900");
    let ancestors: Vec<(&str, &str)> = r["ancestors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["code"].as_str().unwrap(), a["name"].as_str().unwrap()))
        .collect();
    assert_eq!(ancestors, [("210000", "辽宁省"), ("210900", "阜新市")]);
    assert!(res.header("etag").is_some());
}

async fn walking_a_county_returns_every_township_once(app: TestApp) {
    let items = app.walk("/api/v1/regions?parent=210921&limit=7").await;
    let codes: Vec<String> = items
        .iter()
        .map(|i| i["code"].as_str().unwrap().to_owned())
        .collect();
    let unique: HashSet<&String> = codes.iter().collect();
    assert_eq!(unique.len(), codes.len(), "a township came twice");
    assert_eq!(codes, expected_under("210921", RegionLevel::Township));
    assert_eq!(codes.len(), 36);
    // A page of exactly `limit` items is followed by one more request, never by a repeat.
    let first = app
        .get("/api/v1/regions?parent=210921&limit=7")
        .await
        .json();
    assert_eq!(first["items"].as_array().unwrap().len(), 7);
    assert!(first["next_cursor"].is_string());
}

async fn parent_with_level_lists_the_whole_subtree(app: TestApp) {
    let items = app
        .walk("/api/v1/regions?parent=210900&level=village&limit=500")
        .await;
    let codes: Vec<String> = items
        .iter()
        .map(|i| i["code"].as_str().unwrap().to_owned())
        .collect();
    let expected = expected_under("210900", RegionLevel::Village);
    assert!(expected.len() > 500, "the walk must span pages");
    assert_eq!(codes, expected);
}

async fn level_alone_lists_every_county(app: TestApp) {
    let items = app.walk("/api/v1/regions?level=county&limit=30").await;
    assert_eq!(items.len(), 100);
    assert!(items.iter().all(|i| i["level"] == "county"));
}

async fn village_detail_has_four_ancestors(app: TestApp) {
    let village = expected_under("210921", RegionLevel::Village).remove(0);
    let r = app.get(&format!("/api/v1/regions/{village}")).await.json();
    let levels: Vec<&str> = r["ancestors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["province", "city", "county", "township"]);
    assert_eq!(r["ancestors"][2]["code"], "210921");
    // The 12-digit spelling of a county names the same region.
    let county = app.get("/api/v1/regions/210921000000").await.json();
    assert_eq!(county["code"], "210921");
}

async fn invalid_codes_and_parameters_are_problems(app: TestApp) {
    let p = app
        .get("/api/v1/regions/21092x")
        .await
        .assert_problem(400, "invalid_parameter");
    assert_eq!(p["errors"][0]["field"], "code");
    assert_eq!(p["errors"][0]["code"], "invalid_region_code");
    assert_eq!(p["instance"], "/api/v1/regions/21092x");

    let p = app
        .get("/api/v1/regions?parent=2109&limit=0")
        .await
        .assert_problem(400, "invalid_parameter");
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["parent", "limit"]);

    app.get("/api/v1/regions?level=hamlet")
        .await
        .assert_problem(400, "invalid_parameter");
    app.get("/api/v1/regions?limit=abc")
        .await
        .assert_problem(400, "invalid_parameter");
    let p = app
        .get("/api/v1/regions?cursor=not-a-cursor")
        .await
        .assert_problem(400, "invalid_parameter");
    assert_eq!(p["errors"][0]["code"], "invalid_cursor");
}

async fn unknown_regions_are_not_found(app: TestApp) {
    let p = app
        .get("/api/v1/regions/210999")
        .await
        .assert_problem(404, "not_found");
    assert!(p["detail"].as_str().unwrap().contains("210999"));
    app.get("/api/v1/regions?parent=219900")
        .await
        .assert_problem(404, "not_found");
}

async fn etag_allows_conditional_reads(app: TestApp) {
    let first = app.get("/api/v1/regions/210900").await;
    let etag = first.header("etag").unwrap().to_owned();
    let again = app
        .get_with("/api/v1/regions/210900", &[("if-none-match", &etag)])
        .await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let other = app
        .get_with("/api/v1/regions/210100", &[("if-none-match", &etag)])
        .await;
    assert_eq!(other.status, 200);
}
