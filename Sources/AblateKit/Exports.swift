// The command line and other clients of AblateKit see the modules its API is made of; the backend
// modules stay behind ``Backends``.
@_exported import AblateCore
@_exported import AblateExecution
@_exported import AblateReport
@_exported import AblateStats
@_exported import AblateStore
