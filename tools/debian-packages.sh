#!/bin/sh
# Debian's packages the product itself needs (the Makefile's debian-packages step), installed
# only when missing: Graphviz lays out the diagrams (services/diagrams/), pango renders the
# board pack's PDF (WeasyPrint).
set -e
if command -v dot >/dev/null && ldconfig -p | grep -q libpangoft2-1.0; then
  exit 0
fi
SUDO=$( [ "$(id -u)" = 0 ] || echo sudo )
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q graphviz libpango-1.0-0 libpangoft2-1.0-0
