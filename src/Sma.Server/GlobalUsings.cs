// The model's Job, not System.Management.Automation.Job (PowerShell's own job type).
global using Job = Sma.Engine.Model.Job;
