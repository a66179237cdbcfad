#!/usr/bin/env bash
# Installs the real Bicep compiler from NuGet (Azure.Bicep.CommandLine.linux-x64) into .tools/bicep.
# Needs the .NET SDK (dotnet restore is the NuGet client here). Idempotent.
set -euo pipefail
VERSION="${BICEP_VERSION:-0.49.2}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.tools/bicep"
if [ -x "$dest/bicep" ] && "$dest/bicep" --version 2>/dev/null | grep -q "$VERSION"; then
  echo "bicep $VERSION already in $dest"; exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/fetch.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Azure.Bicep.CommandLine.linux-x64" Version="[$VERSION]" /></ItemGroup>
</Project>
XML
dotnet restore "$work/fetch.csproj" --packages "$work/pkgs" >/dev/null
mkdir -p "$dest"
cp "$work/pkgs/azure.bicep.commandline.linux-x64/$VERSION/tools/bicep" "$dest/bicep"
chmod +x "$dest/bicep"
"$dest/bicep" --version
