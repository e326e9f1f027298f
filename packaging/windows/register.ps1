# Makes Braid open .meta4 and .metalink files for the current user (no administrator
# rights needed): per-user ProgIDs under HKCU\Software\Classes.
#   powershell -ExecutionPolicy Bypass -File register.ps1 -Exe "C:\Program Files\Braid\braid.exe"
param([Parameter(Mandatory = $true)][string]$Exe)

$ErrorActionPreference = "Stop"
$classes = "HKCU:\Software\Classes"
$types = @(
    @{ Ext = ".meta4"; ProgId = "Braid.Metalink4"; Mime = "application/metalink4+xml"; Name = "Metalink 4 download" },
    @{ Ext = ".metalink"; ProgId = "Braid.Metalink3"; Mime = "application/metalink+xml"; Name = "Metalink 3 download" }
)
foreach ($t in $types) {
    $prog = "$classes\$($t.ProgId)"
    New-Item -Path "$prog\shell\open\command" -Force | Out-Null
    Set-ItemProperty -Path $prog -Name "(default)" -Value $t.Name
    New-Item -Path "$prog\DefaultIcon" -Force | Out-Null
    Set-ItemProperty -Path "$prog\DefaultIcon" -Name "(default)" -Value "`"$Exe`",0"
    Set-ItemProperty -Path "$prog\shell\open\command" -Name "(default)" -Value "`"$Exe`" `"%1`""
    New-Item -Path "$classes\$($t.Ext)\OpenWithProgids" -Force | Out-Null
    Set-ItemProperty -Path "$classes\$($t.Ext)" -Name "(default)" -Value $t.ProgId
    Set-ItemProperty -Path "$classes\$($t.Ext)" -Name "Content Type" -Value $t.Mime
    New-ItemProperty -Path "$classes\$($t.Ext)\OpenWithProgids" -Name $t.ProgId -Value "" -PropertyType String -Force | Out-Null
}
# "Open with" lists braid.exe for both types.
$app = "$classes\Applications\braid.exe"
New-Item -Path "$app\SupportedTypes" -Force | Out-Null
New-Item -Path "$app\shell\open\command" -Force | Out-Null
Set-ItemProperty -Path "$app\shell\open\command" -Name "(default)" -Value "`"$Exe`" `"%1`""
foreach ($t in $types) {
    New-ItemProperty -Path "$app\SupportedTypes" -Name $t.Ext -Value "" -PropertyType String -Force | Out-Null
}
# Settings > Default apps lists Braid, where the user can make it the default (Windows
# protects that choice from programs).
$capabilities = "HKCU:\Software\Braid\Capabilities"
New-Item -Path "$capabilities\FileAssociations" -Force | Out-Null
New-Item -Path "$capabilities\MimeAssociations" -Force | Out-Null
Set-ItemProperty -Path $capabilities -Name "ApplicationName" -Value "Braid"
Set-ItemProperty -Path $capabilities -Name "ApplicationDescription" -Value "Verified multi-mirror downloads from Metalink files"
foreach ($t in $types) {
    Set-ItemProperty -Path "$capabilities\FileAssociations" -Name $t.Ext -Value $t.ProgId
    Set-ItemProperty -Path "$capabilities\MimeAssociations" -Name $t.Mime -Value $t.ProgId
}
New-Item -Path "HKCU:\Software\RegisteredApplications" -Force | Out-Null
Set-ItemProperty -Path "HKCU:\Software\RegisteredApplications" -Name "Braid" -Value "Software\Braid\Capabilities"
# Tell Explorer the associations changed.
Add-Type -Namespace Win32 -Name Shell -MemberDefinition '[DllImport("shell32.dll")] public static extern void SHChangeNotify(int e, int f, IntPtr a, IntPtr b);'
[Win32.Shell]::SHChangeNotify(0x08000000, 0, [IntPtr]::Zero, [IntPtr]::Zero)
Write-Output "Braid now opens .meta4 and .metalink files for $env:USERNAME."
Write-Output "Where another program is the default, choose Braid in Settings > Apps > Default apps."
