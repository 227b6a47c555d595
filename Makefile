# SPDX-License-Identifier: GPL-2.0
#
# rvnet: user-facing entry points.
#
#   make                 build every module against the test kernel
#   make kernel          build (or reuse) the cached test kernel
#   make setup           install packages, bindgen-cli, virtme-ng
#   make host-test       cargo tests of the no_std logic
#   make check [T=suite] everything: set-up, kernel, modules, host and QEMU tests
#   make demo            boot a guest, load the drivers, build a topology, show /proc
#   make lint            rustfmt --check and clippy on the modules
#   make compile-fail    the safe layer's compile-fail cases (tests/compile-fail)
#   make install         the built modules into /lib/modules/<kernel>/updates
#                        (depmod) and scripts/modprobe/rvnet.conf into
#                        /etc/modprobe.d; INSTALL_MOD_PATH=DIR prefixes both

export PATH := $(or $(HOME),/root)/.cargo/bin:/root/.cargo/bin:$(PATH)
RUSTC := /usr/bin/rustc
KDIR ?= $(shell $(CURDIR)/scripts/kernel.sh --path-only)
# DEBUG=kasan: the KASAN variant of the test kernel, built with LLVM=1.
KLLVM := $(if $(filter kasan,$(DEBUG)),LLVM=1)
KMAKE = $(MAKE) -C $(KDIR) M=$(CURDIR) RUSTC=$(RUSTC) BINDGEN=bindgen $(KLLVM)

.PHONY: all modules kernel setup host-test check demo lint fmt clean compile-fail install

all: modules

# CLIPPY=1: compiled by clippy-driver, with the kernel's clippy lints (the
# same objects; scripts/check.sh builds so, and scripts/lint.sh reads the
# warnings from that build instead of building a copy).
# The objects and bindings of one kernel tree must never be linked against
# another (kbuild does not notice a changed KDIR; the test kernel variants
# share a version but not struct layouts): .rvnet-kdir names the tree the
# objects are for, and a build for another one starts from clean.
modules: kernel
	@if [ -f .rvnet-kdir ] && [ "$$(cat .rvnet-kdir)" != "$(KDIR)" ]; then \
		echo "rvnet: objects built for $$(cat .rvnet-kdir), now $(KDIR): make clean"; \
		$(KMAKE) clean >/dev/null; rm -f rust/netdev/bindings_generated.rs; fi
	@echo "$(KDIR)" >.rvnet-kdir
	$(KMAKE) $(if $(CLIPPY),CLIPPY=1 CLIPPY_DRIVER=/usr/bin/clippy-driver) modules

kernel:
	@$(CURDIR)/scripts/kernel.sh >/dev/null

# As the kernel's own modules_install: installs what `make` built, builds
# nothing (it runs as root, often from a read-only or other user's tree).
install:
	$(KMAKE) modules_install
	install -D -m 644 $(CURDIR)/scripts/modprobe/rvnet.conf \
		$(INSTALL_MOD_PATH)/etc/modprobe.d/rvnet.conf

setup:
	$(CURDIR)/scripts/setup.sh

host-test:
	$(CURDIR)/scripts/host-test.sh

check:
	$(CURDIR)/scripts/check.sh $(T)

demo:
	$(CURDIR)/scripts/demo.sh

lint: kernel
	$(CURDIR)/scripts/lint.sh

compile-fail: modules
	$(CURDIR)/scripts/compile-fail.sh

clean:
	$(KMAKE) clean
	rm -f rust/netdev/bindings_generated.rs .rvnet-kdir

fmt: kernel
	git ls-files -co --exclude-standard '*.rs' | grep -v -e '^rust/txsel/' -e bindings_generated | \
		xargs /usr/bin/rustfmt --edition 2021 --config-path $(KDIR)/.rustfmt.toml
	cd rust/txsel && cargo fmt
