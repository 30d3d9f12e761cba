#!/usr/bin/env bash
# Builds the Azure Functions package: a self-contained linux-x64 build of the service with host.json
# and the function folders at the zip's root, the executable keeping its execute bit (the Functions
# host launches it directly; a zip that lost the bit fails to start on every plan but Flex/Consumption).
# Usage: scripts/publish-functions.sh [output folder]   (default: artifacts/functions). Prints the zip path.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${1:-$root/artifacts/functions}" && cd "${1:-$root/artifacts/functions}" && pwd)"
staging="$out/staging"
package="$out/webhookprocessor-functions.zip"
executable="WebhookProcessor"

rm -rf "$staging" "$package"
mkdir -p "$staging"

dotnet publish "$root/src/WebhookProcessor" -c Release -r linux-x64 --self-contained \
  -p:DebugType=none -o "$staging" >&2

cp "$root/host.json" "$staging/"
for folder in "$root"/functions/*/; do
  cp -R "$folder" "$staging/"
done
rm -f "$staging/appsettings.Development.json"
chmod 755 "$staging/$executable"

if command -v zip >/dev/null 2>&1; then
  # zip stores Unix modes by default; -X leaves out other extra attributes.
  (cd "$staging" && zip -q -r -X "$package" .)
else
  python3 - "$staging" "$package" <<'PY'
import os, stat, sys, zipfile
staging, package = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as archive:
    for folder, _, files in os.walk(staging):
        for name in sorted(files):
            path = os.path.join(folder, name)
            info = zipfile.ZipInfo.from_file(path, os.path.relpath(path, staging))
            info.external_attr = (stat.S_IMODE(os.stat(path).st_mode) | stat.S_IFREG) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as source:
                archive.writestr(info, source.read())
PY
fi

echo "$package"
