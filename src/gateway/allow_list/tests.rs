//! The allow-list against the URL tricks that must not pass (userinfo, encodings, IPv4 forms,
//! dot segments, wildcards, special addresses) and the ones that must.

use super::*;
use proptest::prelude::*;

fn list(entries: &[&str]) -> AllowList {
    AllowList::parse(&entries.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
}

fn allowed(l: &AllowList, url: &str) -> bool {
    l.check(url).is_ok()
}

#[test]
fn plain_prefixes_match_scheme_host_port_and_path() {
    let l = list(&["https://orders.example.com/hooks/", "http://10.0.0.7:8080/"]);
    assert!(allowed(&l, "https://orders.example.com/hooks/new"));
    assert!(allowed(&l, "https://ORDERS.Example.com/hooks/new?x=1"));
    assert!(allowed(&l, "https://orders.example.com:443/hooks/a"));
    assert!(allowed(&l, "https://orders.example.com./hooks/a"));
    assert!(allowed(&l, "http://10.0.0.7:8080/anything"));
    assert!(
        !allowed(&l, "http://orders.example.com/hooks/new"),
        "scheme"
    );
    assert!(
        !allowed(&l, "https://orders.example.com:8443/hooks/a"),
        "port"
    );
    assert!(!allowed(&l, "https://orders.example.com/other"), "path");
    assert!(
        !allowed(&l, "https://orders.example.com/hooks"),
        "shorter path"
    );
    assert!(!allowed(&l, "http://10.0.0.7/"), "default port is not 8080");
    assert!(!allowed(&l, "https://orders.example.com.evil.net/hooks/x"));
}

#[test]
fn userinfo_never_passes() {
    let l = list(&["http://good.example.com/"]);
    assert!(!allowed(&l, "http://good.example.com@evil/"));
    assert!(!allowed(&l, "http://good.example.com:80@evil/"));
    assert!(!allowed(&l, "http://user:pw@good.example.com/"));
    assert!(!allowed(&l, "http://evil\\@good.example.com/"));
    assert!(!allowed(&l, "http://good.example.com%40evil/"));
}

#[test]
fn dot_segments_and_encodings_are_resolved_before_matching() {
    let l = list(&["https://a.example.com/hooks/"]);
    assert!(!allowed(&l, "https://a.example.com/hooks/../admin"));
    assert!(!allowed(&l, "https://a.example.com/hooks/%2e%2e/admin"));
    assert!(!allowed(&l, "https://a.example.com/hooks/.%2E/admin"));
    assert!(!allowed(&l, "https://a.example.com/hooks\\..\\admin"));
    assert!(allowed(&l, "https://a.example.com/x/../hooks/ok"));
    assert!(allowed(&l, "https://a.example.com/%68ooks/ok"), "%68 is h");
    assert!(
        allowed(&l, "https://a.example.com\\hooks\\ok"),
        "backslash is a slash"
    );
    // An encoded slash stays encoded: /hooks%2F.. is not under /hooks/.
    assert!(!allowed(&l, "https://a.example.com/hooks%2F..%2Fadmin"));
    // Percent-encoded host characters are decoded by the URL parser.
    assert!(allowed(&l, "https://%61.example.com/hooks/x"));
}

#[test]
fn wildcard_hosts_match_subdomains_only() {
    let l = list(&["https://*.example.com/"]);
    assert!(allowed(&l, "https://a.example.com/x"));
    assert!(allowed(&l, "https://a.b.example.com/x"));
    assert!(!allowed(&l, "https://example.com/x"));
    assert!(!allowed(&l, "https://badexample.com/x"));
    assert!(!allowed(&l, "https://a.example.com.evil.net/x"));
}

#[test]
fn ipv4_forms_and_mapped_addresses_are_one_address() {
    let l = list(&["http://127.0.0.1:9000/"]);
    assert!(allowed(&l, "http://127.0.0.1:9000/cb"));
    assert!(allowed(&l, "http://2130706433:9000/cb"));
    assert!(allowed(&l, "http://0x7f.0.0.1:9000/cb"));
    assert!(allowed(&l, "http://[::ffff:127.0.0.1]:9000/cb"));
    assert!(!allowed(&l, "http://127.0.0.2:9000/cb"));
}

#[test]
fn special_addresses_need_an_entry_that_names_them() {
    let l = list(&[
        "http://*.example.com/",
        "http://*.internal/",
        "http://*.localhost/",
    ]);
    assert!(!allowed(
        &l,
        "http://metadata.google.internal/computeMetadata/v1/"
    ));
    assert!(!allowed(&l, "http://x.localhost/"));
    let named = list(&["http://metadata.google.internal/", "http://localhost:8080/"]);
    assert!(allowed(&named, "http://metadata.google.internal/v1/"));
    assert!(allowed(&named, "http://localhost:8080/cb"));
    // At connect time: a wildcard name resolving to loopback or metadata is refused.
    let lo: IpAddr = "127.0.0.1".parse().unwrap();
    let meta: IpAddr = "169.254.169.254".parse().unwrap();
    assert!(!l.permits_addr("evil.example.com", lo));
    assert!(!l.permits_addr("evil.example.com", meta));
    assert!(!l.permits_addr("evil.example.com", "::1".parse().unwrap()));
    assert!(!l.permits_addr("evil.example.com", "::ffff:127.0.0.1".parse().unwrap()));
    assert!(!l.permits_addr("evil.example.com", "0.0.0.0".parse().unwrap()));
    assert!(!l.permits_addr("evil.example.com", "fe80::1".parse().unwrap()));
    assert!(l.permits_addr("evil.example.com", "93.184.216.34".parse().unwrap()));
    assert!(l.permits_addr("a.example.com", "10.0.0.7".parse().unwrap()));
    assert!(named.permits_addr("localhost", lo));
    assert!(named.permits_addr("LOCALHOST.", lo));
    assert!(!named.permits_addr("localhost", meta));
    assert!(!named.permits_addr("metadata.google.internal", meta));
    let ip_named = list(&["http://169.254.169.254/latest/"]);
    assert!(ip_named.permits_addr("anything", meta));
}

#[test]
fn empty_list_refuses_everything_and_non_http_is_not_http() {
    let l = list(&[]);
    assert!(l.is_empty());
    assert!(matches!(
        l.check("https://a.example.com/"),
        Err(CallbackRefused::NotAllowed(_))
    ));
    for bad in [
        "ftp://a/",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "not a url",
        "",
        "//a/",
    ] {
        assert!(
            matches!(l.check(bad), Err(CallbackRefused::NotHttp(_))),
            "{bad}"
        );
    }
}

#[test]
fn bad_entries_say_which_and_why() {
    for bad in [
        "orders.example.com/hooks/",
        "ftp://a/",
        "https://u:p@a.example.com/",
        "https://a.example.com/?x=1",
        "https://*.10.0.0.7/",
        "https://",
    ] {
        let e = AllowList::parse(&[bad.to_string()]).unwrap_err();
        assert_eq!(e.entry, bad);
        assert!(e.to_string().contains(bad), "{e}");
    }
}

#[test]
fn the_normalised_url_is_returned() {
    let l = list(&["https://a.example.com/hooks/"]);
    assert_eq!(
        l.check("HTTPS://A.Example.COM:443/x/../hooks/ok").unwrap(),
        "https://a.example.com/hooks/ok"
    );
}

proptest! {
    /// Whatever is put before `@`, the host after it decides: a URL with userinfo never passes
    /// (an empty `:@` is no userinfo once normalised), and no suffix appended to an allowed
    /// host's name makes another host pass.
    #[test]
    fn no_userinfo_or_host_suffix_passes(user in "[a-z0-9.%][a-z0-9.:%]{0,19}", suffix in "[a-z0-9]{1,10}") {
        let l = list(&["http://good.example.com/"]);
        let with_user = format!("http://{user}@good.example.com/");
        prop_assert!(!allowed(&l, &with_user));
        let longer = format!("http://good.example.com.{suffix}/");
        prop_assert!(!allowed(&l, &longer));
        let evil = format!("http://good.example.com@{suffix}.evil/");
        prop_assert!(!allowed(&l, &evil));
    }

    /// Any path that the check allows really is under the prefix once normalised (no dot or
    /// encoding trick escapes it).
    #[test]
    fn allowed_paths_stay_under_the_prefix(path in "[a-z./%2eE\\\\]{0,30}") {
        let l = list(&["http://a.example.com/hooks/"]);
        let url = format!("http://a.example.com/hooks/{path}");
        if let Ok(norm) = l.check(&url) {
            let parsed = Url::parse(&norm).unwrap();
            prop_assert!(normalise_path(parsed.path()).starts_with("/hooks/"), "{norm}");
            prop_assert!(!parsed.path().contains("/../"));
        }
    }

    /// The check never panics on arbitrary text.
    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,60}") {
        let l = list(&["https://*.example.com/", "http://127.0.0.1:1/"]);
        let _ = l.check(&s);
    }
}
