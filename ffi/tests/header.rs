//! `include/finmark.h` is committed; this test fails when it differs from what cbindgen
//! generates from the sources now. `FINMARK_UPDATE_HEADER=1 cargo test -p finmark-ffi --test
//! header` rewrites it instead.

use std::path::Path;

#[test]
fn committed_header_is_what_cbindgen_generates() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("ffi/cbindgen.toml is readable and valid");
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(crate_dir.join("src/lib.rs"))
        .generate()
        .expect("cbindgen parses ffi/src");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = String::from_utf8(generated).expect("the header is UTF-8");

    let header_path = crate_dir.join("include/finmark.h");
    if std::env::var_os("FINMARK_UPDATE_HEADER").is_some() {
        std::fs::write(&header_path, &generated).expect("include/finmark.h is writable");
        return;
    }
    let committed = std::fs::read_to_string(&header_path).unwrap_or_default();
    if committed != generated {
        let first_difference = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
        panic!(
            "ffi/include/finmark.h is stale (first difference at line {}): regenerate it with \
             `FINMARK_UPDATE_HEADER=1 cargo test -p finmark-ffi --test header` and commit it",
            first_difference + 1
        );
    }
}
