//! Every exported function must run its body inside the panic boundary (`ffi_boundary` or
//! `ffi_boundary_or` from `src/panic.rs`): a panic reaching an `extern "C"` edge would abort
//! the host. The boundary itself is tested with deliberate panics in `src/panic.rs`; this test
//! checks that no export bypasses it.

use std::path::Path;

#[test]
fn every_export_runs_inside_the_panic_boundary() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let (mut exports, mut no_mangle) = (0, 0);
    for entry in std::fs::read_dir(&src).expect("ffi/src is readable") {
        let path = entry.expect("ffi/src entry").path();
        let text = std::fs::read_to_string(&path).expect("source is readable");
        let lines: Vec<&str> = text.lines().collect();
        no_mangle += text.matches("#[unsafe(no_mangle)]").count();
        for (i, line) in lines.iter().enumerate() {
            if !line.contains("extern \"C\" fn ") {
                continue;
            }
            exports += 1;
            // The body starts after the line that ends the signature with `{`.
            let body = lines[i..]
                .iter()
                .position(|l| l.trim_end().ends_with('{'))
                .map(|open| lines[i + open + 1].trim_start());
            assert!(
                body.is_some_and(|first| first.starts_with("ffi_boundary")
                    || first.starts_with("crate::panic::ffi_boundary")),
                "{}:{}: exported function does not start with ffi_boundary: {line}",
                path.display(),
                i + 1
            );
        }
    }
    // Every unmangled symbol was seen as an `extern "C" fn` above.
    assert!(exports > 0);
    assert_eq!(
        exports, no_mangle,
        "exports found vs #[unsafe(no_mangle)] attributes"
    );
}
