//! `services.rs`: the APIs (one per document) and regions the client sends requests to, and
//! each API's base URL in each region.
use super::types::ident;
use crate::ir::{Api, Service};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn services_module(api: &Api) -> TokenStream {
    let services = &api.services;
    let variants: Vec<_> = services.iter().map(|s| ident(&s.variant)).collect();
    let service_docs = services.iter().map(|s| {
        let paths = s
            .base_path
            .as_ref()
            .map(|path| format!(", under `{path}`"))
            .unwrap_or_default();
        let name = if s.name.is_empty() {
            String::new()
        } else {
            format!(" (`{}`)", s.name)
        };
        format!("{} {}{name}{paths}.", s.title.replace('\n', " "), s.version)
    });
    let strings = |field: fn(&Service) -> &str| {
        let arms = services.iter().map(move |s| {
            let (variant, value) = (ident(&s.variant), field(s));
            quote!(Service::#variant => #value)
        });
        quote!(match self { #(#arms),* })
    };
    let name = strings(|s| &s.name);
    let title = strings(|s| &s.title);
    let version = strings(|s| &s.version);
    let sha256 = strings(|s| &s.sha256);
    let url_arms = services.iter().flat_map(|s| {
        let service = ident(&s.variant);
        api.regions
            .iter()
            .zip(&s.region_urls)
            .map(move |(region, url)| {
                let region = ident(&region.variant);
                quote!((Service::#service, Region::#region) => #url)
            })
    });
    let region_variants: Vec<_> = api.regions.iter().map(|r| ident(&r.variant)).collect();
    let region_docs = api.regions.iter().enumerate().map(|(index, r)| {
        let text = match &r.description {
            Some(description) => format!("{} (`{}`).", description.replace('\n', " "), r.code),
            None => format!("`{}`.", r.code),
        };
        let default = (index == 0).then(|| quote!(#[default]));
        quote!(#[doc = #text] #default)
    });
    let codes = api.regions.iter().map(|r| {
        let (variant, code) = (ident(&r.variant), &r.code);
        quote!(Region::#variant => #code)
    });
    quote! {
        /// The APIs the client calls, one per OpenAPI document the SDK is generated from. Each
        /// has its own base URL in each [`Region`]; `ClientBuilder::base_url_for` replaces one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Service {
            #(#[doc = #service_docs] #variants,)*
        }

        impl Service {
            /// Every service, in the order the SDK's settings list their documents.
            pub const ALL: &'static [Service] = &[#(Service::#variants),*];

            /// The document's name in the SDK's settings (`v1`).
            pub const fn name(self) -> &'static str {
                #name
            }

            /// The document's title.
            pub const fn title(self) -> &'static str {
                #title
            }

            /// The document's version.
            pub const fn version(self) -> &'static str {
                #version
            }

            /// SHA-256 of the document's bytes.
            pub const fn spec_sha256(self) -> &'static str {
                #sha256
            }

            /// Its base URL in `region`, from the document's servers.
            pub const fn base_url(self, region: Region) -> &'static str {
                match (self, region) {
                    #(#url_arms,)*
                }
            }

            /// Its position in [`Service::ALL`].
            pub(crate) const fn index(self) -> usize {
                self as usize
            }
        }

        /// Where the API is served: the regions the documents' servers name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        #[non_exhaustive]
        pub enum Region {
            #(#region_docs #region_variants,)*
        }

        impl Region {
            /// Every region, in the order the documents list them.
            pub const ALL: &'static [Region] = &[#(Region::#region_variants),*];

            /// The region's code (`eu`), as the servers' region extension gives it.
            pub const fn code(self) -> &'static str {
                match self { #(#codes),* }
            }

            /// The region with this code, in any case.
            pub fn from_code(code: &str) -> Option<Region> {
                Region::ALL.iter().copied().find(|r| r.code().eq_ignore_ascii_case(code.trim()))
            }
        }

        impl ::std::fmt::Display for Region {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }
    }
}
