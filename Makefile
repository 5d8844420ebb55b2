# finmark's two everyday commands:
#   make demo   build in release and run the main job on the embedded SQLite default
#   make test   install what is missing, build once, run every test suite (CI runs this)
.PHONY: demo test bench fmt lint

demo:
	cargo build --release -p finmark-cli
	./target/release/finmark demo

test:
	bash scripts/test-all.sh

bench:
	cargo bench -p finmark-benches

fmt:
	cargo fmt --all

lint:
	cargo clippy --workspace --all-targets -- -D warnings
