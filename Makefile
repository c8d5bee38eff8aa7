# Shortcuts for ./dev.sh, which does the work (a fresh Debian machine may not have make).
.PHONY: demo test build bench
demo:
	./dev.sh demo
test:
	./dev.sh test
build:
	./dev.sh build
bench:
	./dev.sh bench
