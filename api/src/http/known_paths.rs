//! The paths the OpenAPI document gives, with their methods: a request that matched no
//! route is answered 405 with `Allow` when its path is known, 404 otherwise. Built once from
//! the same document the server serves, so the two never disagree.

use utoipa::openapi::OpenApi;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    /// `{name}`: any one non-empty segment.
    Parameter,
}

/// Every documented path template and its methods.
#[derive(Debug, Clone, Default)]
pub struct KnownPaths {
    templates: Vec<(Vec<Segment>, Vec<&'static str>)>,
}

fn segments(template: &str) -> Vec<Segment> {
    template
        .trim_matches('/')
        .split('/')
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                Segment::Parameter
            } else {
                Segment::Literal(s.to_owned())
            }
        })
        .collect()
}

impl KnownPaths {
    pub fn from_openapi(doc: &OpenApi) -> Self {
        let templates = doc
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("PUT", item.put.is_some()),
                    ("POST", item.post.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("HEAD", item.head.is_some()),
                    ("OPTIONS", item.options.is_some()),
                ]
                .into_iter()
                .filter_map(|(m, present)| present.then_some(m))
                .collect::<Vec<_>>();
                // HEAD is answered wherever GET is (`http::head`).
                let methods = if methods.contains(&"GET") && !methods.contains(&"HEAD") {
                    [methods, vec!["HEAD"]].concat()
                } else {
                    methods
                };
                (segments(template), methods)
            })
            .collect();
        KnownPaths { templates }
    }

    /// The methods documented for `path` (every template it fits), sorted; empty when the
    /// path is unknown.
    pub fn allowed(&self, path: &str) -> Vec<&'static str> {
        // Only the leading slash goes: `/needs/` is not `/needs`, as for the router.
        let parts: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
        let mut methods: Vec<&'static str> = self
            .templates
            .iter()
            .filter(|(template, _)| {
                template.len() == parts.len()
                    && template.iter().zip(&parts).all(|(t, p)| match t {
                        Segment::Literal(l) => l == p,
                        Segment::Parameter => !p.is_empty(),
                    })
            })
            .flat_map(|(_, m)| m.iter().copied())
            .collect();
        methods.sort_unstable();
        methods.dedup();
        methods
    }
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem, PathsBuilder};
    use utoipa::openapi::{InfoBuilder, OpenApiBuilder};

    use super::*;

    fn doc() -> OpenApi {
        let op = || OperationBuilder::new().build();
        let paths = PathsBuilder::new()
            .path("/api/v1/needs", PathItem::new(HttpMethod::Get, op()))
            .path("/api/v1/needs", PathItem::new(HttpMethod::Post, op()))
            .path("/api/v1/needs/{id}", PathItem::new(HttpMethod::Get, op()))
            .path(
                "/api/v1/needs/{id}/{action}",
                PathItem::new(HttpMethod::Post, op()),
            )
            .path(
                "/api/v1/needs/{id}/matches",
                PathItem::new(HttpMethod::Get, op()),
            )
            .build();
        OpenApiBuilder::new()
            .info(InfoBuilder::new().title("t").version("1").build())
            .paths(paths)
            .build()
    }

    #[test]
    fn known_paths_list_their_methods_and_unknown_ones_none() {
        let known = KnownPaths::from_openapi(&doc());
        assert_eq!(known.allowed("/api/v1/needs"), ["GET", "HEAD", "POST"]);
        assert_eq!(known.allowed("/api/v1/needs/abc"), ["GET", "HEAD"]);
        // Two templates fit: their methods together.
        assert_eq!(
            known.allowed("/api/v1/needs/abc/matches"),
            ["GET", "HEAD", "POST"]
        );
        assert_eq!(known.allowed("/api/v1/needs/abc/submit"), ["POST"]);
        assert!(known.allowed("/api/v1/nothing").is_empty());
        assert!(known.allowed("/api/v1/needs/").is_empty());
        assert!(known.allowed("/api/v1/needs/abc/matches/more").is_empty());
    }
}
