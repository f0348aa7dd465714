#!/usr/bin/env bash
# Writes PNG screenshots of the main views to docs/screenshots/ (or the folder given), taken in headless Chromium
# from the release build: API list, Method Execution (light and dark), the Test panel, a Lambda invoke, the
# DynamoDB item browser, S3 objects, the hosted website preview, the Traces view (light and dark), the
# architecture diagram lighting the last request's path, and a tutorial step.
# Usage: bash scripts/screenshots.sh [FOLDER]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-${HOME:-/root}/.cargo}/bin:$PATH"

bash scripts/setup.sh --browser >/dev/null
trunk build --release >/dev/null 2>&1 || trunk build --release
cargo run --quiet --example browser_tools -- screenshots "${1:-docs/screenshots}"
