#!/bin/sh
# Put kkdesk in the desktop's application menu, for the current user:
#   sh packaging/linux/install-desktop-entry.sh [PATH_TO_KKDESK]
# PATH_TO_KKDESK: the frozen dist/kkdesk/kkdesk, or the pip-installed `kkdesk` (default: found on PATH).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
icons="$here/../../resources/icons"
exe=${1:-$(command -v kkdesk || true)}
[ -n "$exe" ] || { echo "kkdesk not found: give its path" >&2; exit 1; }
data=${XDG_DATA_HOME:-$HOME/.local/share}
for size in 16 24 32 48 64 128 256; do
  mkdir -p "$data/icons/hicolor/${size}x${size}/apps"
  cp "$icons/kkdesk-$size.png" "$data/icons/hicolor/${size}x${size}/apps/kkdesk.png"
done
mkdir -p "$data/icons/hicolor/scalable/apps" "$data/applications"
cp "$icons/kkdesk.svg" "$data/icons/hicolor/scalable/apps/kkdesk.svg"
sed "s|^Exec=kkdesk$|Exec=\"$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe")\"|" "$here/kkdesk.desktop" \
  > "$data/applications/kkdesk.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$data/applications" || true
echo "installed $data/applications/kkdesk.desktop"
