import AblateCore

/// The `sbatch` script for one submission: a single job or a job array of one stage. Pure: it renders
/// text from what it is given; ``SlurmSubmitter`` writes it and submits it.
///
/// Every task runs `ablate-wrap JOBDIR ATTEMPT` on its job's `job.sh`, so that the job directory gets
/// the same status files as on the local backend. The attempt number is the one recorded at submission
/// plus `SLURM_RESTART_COUNT`: a requeued job is a new attempt in the same directory and resumes from
/// its checkpoint. The script is `exec`ed into the wrapper, which receives `--signal=B:USR1@SECONDS`
/// and forwards it to the trainer.
public struct BatchScript: Sendable, Hashable {
    /// One job of the submission.
    public struct Task: Sendable, Hashable {
        /// The array task index, or `nil` for a single job.
        public var index: Int?
        /// The job directory.
        public var directory: String
        /// The attempt number of the first run of this submission.
        public var firstAttempt: Int

        /// Creates a task.
        public init(index: Int?, directory: String, firstAttempt: Int) {
            self.index = index
            self.directory = directory
            self.firstAttempt = firstAttempt
        }
    }

    /// The sweep (for the job name).
    public var sweep: String
    /// The stage (for the job name).
    public var stage: String
    /// The submission token, in `--comment` so that a submission can be found again after a crash.
    public var token: String
    /// Resource and site options (`--cpus-per-task=8`, `--partition=gpu`, ...), in order.
    public var options: [String]
    /// How it waits for upstream jobs.
    public var dependency: SlurmArrayPlanner.Dependency
    /// At most this many array tasks at a time.
    public var throttle: Int?
    /// Seconds before the time limit at which the wrapper gets SIGUSR1.
    public var signalSeconds: Int
    /// The jobs: one with `index == nil`, or array tasks.
    public var tasks: [Task]
    /// For arrays: a directory with one link per task index to its job directory (`LINKS/4 -> JOBDIR`),
    /// through which Slurm writes each task's output into its own job directory.
    public var linkDirectory: String
    /// The `ablate-wrap` executable, at a path the compute nodes see.
    public var wrapper: String

    /// Creates a script description.
    public init(
        sweep: String, stage: String, token: String, options: [String], dependency: SlurmArrayPlanner.Dependency,
        throttle: Int?, signalSeconds: Int, tasks: [Task], linkDirectory: String, wrapper: String
    ) {
        self.sweep = sweep
        self.stage = stage
        self.token = token
        self.options = options
        self.dependency = dependency
        self.throttle = throttle
        self.signalSeconds = signalSeconds
        self.tasks = tasks
        self.linkDirectory = linkDirectory
        self.wrapper = wrapper
    }

    /// Whether this is a job array.
    public var isArray: Bool { tasks.first?.index != nil }

    /// The job name: `ablate/SWEEP/STAGE`.
    public var jobName: String { "ablate/\(sweep)/\(stage)" }

    /// The `--comment` value.
    public var comment: String { "ablate:\(token)" }

    /// The `#SBATCH` options, in the order written.
    public var directives: [String] {
        var lines = ["--job-name=\(jobName)", "--comment=\(comment)"]
        if isArray {
            let indices = SlurmArrayPlanner.indexList(tasks.compactMap(\.index))
            lines.append("--array=\(indices)" + (throttle.map { "%\($0)" } ?? ""))
            lines.append("--output=\(Self.pattern(linkDirectory))/%a/.ablate/stdout.log")
            lines.append("--error=\(Self.pattern(linkDirectory))/%a/.ablate/stderr.log")
        } else if let task = tasks.first {
            lines.append("--output=\(Self.pattern(task.directory))/.ablate/stdout.log")
            lines.append("--error=\(Self.pattern(task.directory))/.ablate/stderr.log")
        }
        lines += ["--open-mode=append", "--requeue", "--signal=B:USR1@\(signalSeconds)"]
        if let dependency = dependency.option {
            lines += ["--dependency=\(dependency)", "--kill-on-invalid-dep=yes"]
        }
        return lines + options
    }

    /// The script text.
    public func render() -> String {
        var text = "#!/bin/bash\n"
        text += "# Written by ablate: sweep '\(sweep)', stage '\(stage)', \(tasks.count) job(s).\n"
        for directive in directives {
            text += "#SBATCH " + Self.directive(directive) + "\n"
        }
        text += "\n"
        if isArray {
            text += "case \"${SLURM_ARRAY_TASK_ID:-}\" in\n"
            for task in tasks {
                text +=
                    "\(task.index!)) dir=\(ShellQuoting.quote(task.directory)); first=\(task.firstAttempt) ;;\n"
            }
            text += "*) echo \"ablate: no job for array task '${SLURM_ARRAY_TASK_ID:-}'\" >&2; exit 2 ;;\nesac\n"
        } else if let task = tasks.first {
            text += "dir=\(ShellQuoting.quote(task.directory)); first=\(task.firstAttempt)\n"
        }
        text += """
            # A requeued job is the next attempt in the same directory; the trainer resumes from its checkpoint.
            export ABLATE_ATTEMPT=$((first + ${SLURM_RESTART_COUNT:-0}))
            export ABLATE_JOB_SCRIPT="$dir/.ablate/job.sh"
            exec \(ShellQuoting.quote(wrapper)) "$dir" "$ABLATE_ATTEMPT" 'exec /bin/sh "$ABLATE_JOB_SCRIPT"'

            """
        return text
    }

    /// A directory as sbatch's `--output` filename pattern: `%` written `%%`, so that a `%` in the work
    /// directory is not read as a replacement symbol (`%j`, `%a`).
    static func pattern(_ directory: String) -> String {
        directory.replacingOccurrences(of: "%", with: "%%")
    }

    /// Why `directory` cannot hold job directories that a batch script names, if it cannot: `#SBATCH`
    /// values are double-quoted and end at the line.
    public static func problem(withDirectory directory: String) -> String? {
        directory.unicodeScalars.contains { $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\u{0}" }
            ? "the work directory '\(directory)' contains a double quote or a line break, which an #SBATCH line cannot carry; choose another --workdir"
            : nil
    }

    /// `--output=/a b/x` → `--output="/a b/x"`: sbatch reads double-quoted `#SBATCH` values as one word.
    static func directive(_ option: String) -> String {
        guard option.contains(where: \.isWhitespace), let equals = option.firstIndex(of: "=") else { return option }
        return option[...equals] + "\"" + option[option.index(after: equals)...] + "\""
    }

    /// The resource options of a stage's jobs: the spec's `slurm:` defaults overridden by the stage's
    /// `resources`, then the extra `sbatch:` lines (defaults first). Without a `time`, a stage
    /// `timeout` becomes `--time` in whole minutes.
    public static func resourceOptions(
        resources: Resources, defaults: SlurmDefaults, timeoutSeconds: Double?
    ) -> [String] {
        var values = defaults.options
        for (key, value) in resources.extras { values[key] = value }
        if let mem = resources.mem { values["mem"] = mem }
        if let time = resources.time {
            values["time"] = time
        } else if values["time"] == nil, let timeout = timeoutSeconds {
            values["time"] = String(Int((timeout / 60).rounded(.up)))
        }
        var options = ["--cpus-per-task=\(resources.cpus)"]
        if resources.gpus > 0 { options.append("--gres=gpu:\(resources.gpus)") }
        if let nodes = resources.nodes { options.append("--nodes=\(nodes)") }
        for key in values.keys.sorted() {
            options.append("--\(key)=\(values[key]!)")
        }
        return options + defaults.sbatch + resources.sbatch
    }
}
