# Undoes register.ps1 for the current user.
$ErrorActionPreference = "SilentlyContinue"
$classes = "HKCU:\Software\Classes"
foreach ($prog in @("Braid.Metalink4", "Braid.Metalink3")) {
    Remove-Item -Path "$classes\$prog" -Recurse -Force
}
foreach ($ext in @(".meta4", ".metalink")) {
    Remove-ItemProperty -Path "$classes\$ext\OpenWithProgids" -Name "Braid.Metalink4", "Braid.Metalink3"
    $current = (Get-ItemProperty -Path "$classes\$ext")."(default)"
    if ($current -like "Braid.*") { Remove-ItemProperty -Path "$classes\$ext" -Name "(default)" }
}
Remove-Item -Path "$classes\Applications\braid.exe" -Recurse -Force
Remove-Item -Path "HKCU:\Software\Braid" -Recurse -Force
Remove-ItemProperty -Path "HKCU:\Software\RegisteredApplications" -Name "Braid"
Write-Output "Braid no longer opens .meta4 and .metalink files."
