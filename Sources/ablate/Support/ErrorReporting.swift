import AblateKit
import ArgumentParser
import Foundation

/// Prints errors the way `ablate` reports them and maps them to exit codes: 2 for invalid input
/// (specs, queries, arguments), 1 for everything else.
enum ErrorReporting {
    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Runs `body`; turns spec diagnostics and Ablate errors into messages on stderr and an exit code.
    static func run<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as SpecValidationError {
            var sources: [String: String] = [:]
            for file in Set(error.diagnostics.map(\.file)) {
                sources[file] = try? SpecFile.read(file)
            }
            for diagnostic in error.diagnostics {
                standardError(
                    sources[diagnostic.file].map { diagnostic.rendered(source: $0) } ?? diagnostic.description)
            }
            let count = error.errors.count
            standardError("\(count) error\(count == 1 ? "" : "s"); nothing was run")
            throw ExitCode(2)
        } catch let error as AblateError {
            standardError("error: \(error.localizedDescription)")
            throw ExitCode(2)
        } catch let error as ImportError {
            standardError("error: \(error.localizedDescription)")
            throw ExitCode(2)
        } catch let error as ExecutionError {
            standardError("error: \(error.localizedDescription)")
            throw ExitCode(2)
        } catch let error as FilterError {
            standardError(error.localizedDescription)
            throw ExitCode(2)
        } catch let error as StoreError {
            standardError("error: \(error.localizedDescription)")
            switch error {
            case .cannotOpen, .queryTimedOut: throw ExitCode(1)
            default: break
            }
            throw ExitCode(2)
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            standardError("error: \(error.message)")
            throw ExitCode(2)
        } catch {
            standardError("error: \(error.localizedDescription)")
            throw ExitCode(1)
        }
    }

    /// Prints warnings (with the offending line) to stderr.
    static func printWarnings(_ warnings: [Diagnostic], source: String) {
        for warning in warnings {
            standardError(warning.rendered(source: source))
        }
    }
}
