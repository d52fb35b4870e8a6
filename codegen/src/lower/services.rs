//! Where each document's operations are sent: its servers, by region
//! (`Settings::region_extension`), checked against the base path the settings declare.
use super::Lowerer;
use crate::ir::{Region, Service};
use crate::names::{self, Scope};

/// The variant of a lone unnamed document's service.
const UNNAMED_SERVICE: &str = "Api";
/// The one region of documents whose servers name none: their first servers.
const DEFAULT_REGION: &str = "default";

impl<'a> Lowerer<'a> {
    /// Every document's service and the regions their servers name.
    pub(super) fn lower_services(&mut self) -> (Vec<Service>, Vec<Region>) {
        let regions = self.regions();
        let services = (0..self.sources.len())
            .map(|index| {
                self.enter(index);
                self.service(&regions)
            })
            .collect();
        (services, regions)
    }

    /// The regions, in the order the documents first name them.
    fn regions(&mut self) -> Vec<Region> {
        let mut regions: Vec<Region> = Vec::new();
        let mut variants = Scope::default();
        for index in 0..self.sources.len() {
            self.enter(index);
            for server in &self.document.servers {
                let Some(code) = self.region_of(server) else {
                    continue;
                };
                if regions.iter().any(|r| r.code == code) {
                    continue;
                }
                regions.push(Region {
                    variant: variants.claim(names::variant_name(&code)),
                    code,
                    description: server.description.clone(),
                });
            }
        }
        if regions.is_empty() {
            regions.push(Region {
                code: DEFAULT_REGION.to_owned(),
                variant: names::variant_name(DEFAULT_REGION),
                description: Some("Where each document's first server is".to_owned()),
            });
        }
        regions
    }

    /// The region extension's value on a server.
    fn region_of(&self, server: &openapiv3::Server) -> Option<String> {
        let extension = self.settings.region_extension.as_deref()?;
        let value = server.extensions.get(extension)?;
        value.as_str().map(str::to_owned)
    }

    /// The document's service: its base URL in each region.
    fn service(&mut self, regions: &[Region]) -> Service {
        let document = self.document;
        let urls: Vec<(Option<String>, String)> = document
            .servers
            .iter()
            .map(|server| (self.region_of(server), server_url(server)))
            .collect();
        let base_path = self.document_settings().and_then(|d| d.base_path.clone());
        if let Some(base_path) = &base_path {
            for (index, (_, url)) in urls.iter().enumerate() {
                if !url
                    .trim_end_matches('/')
                    .ends_with(base_path.trim_end_matches('/'))
                {
                    self.warn(
                        &format!("/servers/{index}/url"),
                        format!("{url} does not end in the base path {base_path}"),
                    );
                }
            }
        }
        let default_url = match urls.first() {
            Some((_, url)) => url.clone(),
            None => {
                if self.document_settings().is_some() {
                    self.warn(
                        "/servers",
                        "no server: the SDK's user must give this API's base URL",
                    );
                }
                String::new()
            }
        };
        let mut region_urls = Vec::new();
        for region in regions {
            let found = urls
                .iter()
                .find(|(code, _)| code.as_deref() == Some(&region.code));
            let url = match found {
                Some((_, url)) => url.clone(),
                None => {
                    if !default_url.is_empty() && urls.iter().any(|(code, _)| code.is_some()) {
                        self.warn(
                            "/servers",
                            format!(
                                "no server in region {}: its first server is used",
                                region.code
                            ),
                        );
                    }
                    default_url.clone()
                }
            };
            region_urls.push(url);
        }
        let name = self.doc.name;
        Service {
            name: name.to_owned(),
            variant: if name.is_empty() {
                UNNAMED_SERVICE.to_owned()
            } else {
                names::type_name(name)
            },
            title: document.info.title.clone(),
            version: document.info.version.clone(),
            sha256: self.sources[self.doc.index].sha256.to_owned(),
            base_path,
            region_urls,
        }
    }
}

/// A server's URL with its variables at their defaults, without a trailing `/`.
fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    url.trim_end_matches('/').to_owned()
}
