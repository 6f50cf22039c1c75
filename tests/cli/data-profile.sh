#!/usr/bin/env bash
# sml-describe --data on tables in every form it reads (issue 19): the same small table as CSV,
# gzip-compressed CSV, JSON lines, a JSON array and a folder of CSV parts must give the same
# profile (samples, classes, label and time columns: the CSV is the reference); a header shorter
# than its rows (scikit-learn's wine.csv starts with "178,13,class_0,class_1,class_2") is reported.
set -u
tool=$1
. "$(dirname "$0")/lib.sh"
d=$tmp/d
mkdir -p "$d/parts" "$d/mixed"
printf 'date,temp,label\n2024-01-01,3.2,cold\n2024-01-02,5.1,cold\n2024-01-03,15.0,warm\n' >"$d/t.csv"
gzip -c "$d/t.csv" >"$d/t.csv.gz"
printf '{"date": "2024-01-01", "temp": 3.2, "label": "cold"}\n{"date": "2024-01-02", "temp": 5.1, "label": "cold"}\n\n{"date": "2024-01-03", "temp": 15.0, "label": "warm"}\n' >"$d/t.jsonl"
printf '[{"date": "2024-01-01", "temp": 3.2, "label": "cold"},\n {"date": "2024-01-02", "temp": 5.1, "label": "cold"},\n {"date": "2024-01-03", "temp": 15.0, "label": "warm", "extra": {"nested": [1, 2]}}]\n' >"$d/t.json"
printf 'date,temp,label\n2024-01-01,3.2,cold\n' >"$d/parts/part-0.csv"
printf 'date,temp,label\n2024-01-02,5.1,cold\n2024-01-03,15.0,warm\n' >"$d/parts/part-1.csv"
profile() { "$tool" --data "$1" | grep -E '^(modality|samples|classes):|^  (label_column|time_column):'; }
reference=$(profile "$d/t.csv")
expect_in reference-label <(echo "$reference") "label_column: label"
expect_in reference-time <(echo "$reference") "time_column: date"
for form in t.csv.gz t.jsonl t.json parts; do
  expect_eq "same-as-csv-$form" "$(profile "$d/$form")" "$reference"
done
check parts-files 0 "$tool" --data "$d/parts"
expect_in parts-count "$tmp/out" "files: 2"
# A header of counts and class names over 14-field rows (the first two rows of scikit-learn's wine.csv).
printf '178,13,class_0,class_1,class_2\n14.23,1.71,2.43,15.6,127,2.8,3.06,.28,2.29,5.64,1.04,3.92,1065,0\n13.2,1.78,2.14,11.2,100,2.65,2.76,.26,1.28,4.38,1.05,3.4,1050,1\n' >"$d/wine.csv"
check short-header 0 "$tool" --data "$d/wine.csv"
expect_in short-header-columns "$tmp/out" "columns: 14"
expect_in short-header-fields "$tmp/out" "header_fields: 5"
expect_in short-header-note "$tmp/out" "the header names 5 fields but 2 rows have up to 14 (first at line 2)"
expect_in short-header-label "$tmp/out" "label_column: column 14"
# Refused with the file named: parts with different headers, a damaged gzip, broken JSON.
printf 'a,b\n1,2\n' >"$d/mixed/x.csv"
printf 'a,c\n1,2\n' >"$d/mixed/y.csv"
check mixed-headers 2 "$tool" --data "$d/mixed"
expect_in mixed-headers-says "$tmp/err" "y.csv: its header differs"
head -c 30 "$d/t.csv.gz" >"$d/cut.csv.gz"
check damaged-gzip 2 "$tool" --data "$d/cut.csv.gz"
printf '{"a": 1,\n' >"$d/bad.jsonl"
check bad-jsonl 2 "$tool" --data "$d/bad.jsonl"
expect_in bad-jsonl-where "$tmp/err" "bad.jsonl:1: not JSON"
finish
