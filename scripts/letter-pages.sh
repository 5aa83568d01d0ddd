#!/bin/sh
# Every kind of letter as a Word document, and its first page as a picture: how a letter
# looks when a unit prints it from Word. Needs LibreOffice and poppler (on Debian or Ubuntu:
# apt-get install libreoffice-writer-nogui poppler-utils fonts-liberation) and a built vlu.
#
#     scripts/letter-pages.sh [OUT_DIR]       (default: target/letter-pages)
#
# It imports the sample unit into a throw-away store, writes one letter of each kind dated
# the sample's anchor day (24 November 2026), converts each .docx to PDF with LibreOffice
# and the first page of each to PNG with pdftoppm, then removes the store.
set -eu
out=${1:-target/letter-pages}
vlu=${VLU:-target/debug/vlu}
mkdir -p "$out"
store=$(mktemp -d)
trap 'rm -rf "$store"' EXIT
export VLU_DATA_DIR="$store/data" VLU_IDLE_SECONDS=5
"$vlu" import sample-data/northshire.json >/dev/null 2>&1
# One victim each, as in tests/letters.rs: kind, victim, extra arguments.
while read -r kind victim extra; do
    # shellcheck disable=SC2086
    "$vlu" letter "$kind" --victim "$victim" --date 2026-11-24 $extra \
        --format docx --out "$out/$victim-$kind.docx" 2>/dev/null
done <<LIST
initial_offer V-0017
second_offer V-0032
annual_letter V-0030
key_date V-0001 --key-date crd
vps_offer V-0005
licence_conditions V-0006
licence_outcome V-0028
complaint_ack V-0009
written_follow_up V-0003
case_closure V-0042
LIST
soffice --headless --convert-to pdf --outdir "$out" "$out"/*.docx >/dev/null 2>&1
for pdf in "$out"/*.pdf; do
    pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$pdf" "${pdf%.pdf}"
done
ls "$out"/*.png
