; Inno Setup 6 script: an installer for the frozen build in dist\kkdesk\ (see docs/building-windows.md).
;   python tools\build_app.py
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\kkdesk.iss
; writes dist\kkdesk-<version>-setup.exe. Per-user install by default (no administrator needed);
; the profile (the encrypted store) lives in %LOCALAPPDATA%\kkdesk and is never touched by the
; installer or the uninstaller.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{5B0E7C1E-2F7A-4C1D-9C3E-6B1A8A4D2E11}
AppName=kkdesk
AppVersion={#AppVersion}
AppPublisher=kkdesk contributors
DefaultDirName={autopf}\kkdesk
DefaultGroupName=kkdesk
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
LicenseFile=..\..\LICENSE
SetupIconFile=..\kkdesk.ico
UninstallDisplayIcon={app}\kkdesk.exe
OutputDir=..\..\dist
OutputBaseFilename=kkdesk-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "ru"; MessagesFile: "compiler:Languages\Russian.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\..\dist\kkdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\kkdesk"; Filename: "{app}\kkdesk.exe"
Name: "{autodesktop}\kkdesk"; Filename: "{app}\kkdesk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\kkdesk.exe"; Description: "{cm:LaunchProgram,kkdesk}"; Flags: nowait postinstall skipifsilent
