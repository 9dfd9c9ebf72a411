import ArgumentParser
import Foundation
import KefuText

/// The category model from the command line: train on a CSV, evaluate, predict.
struct TriageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triage",
        abstract: "Train, evaluate and run the conversation category model (CSV columns text,category).",
        subcommands: [Train.self, Evaluate.self, Predict.self]
    )

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Train a model from a CSV file with columns text,category.")
        @Option(help: "Training data: a CSV file with a header row and columns text,category.") var csv: String
        @Option(help: "Where to write the model.") var model: String
        @Option(help: "Confidence below which the model abstains (0 to 1).") var threshold: Double = 0.5

        func run() throws {
            guard (0...1).contains(threshold) else { throw ValidationError("--threshold must be between 0 and 1 / --threshold 必须在 0 到 1 之间") }
            let examples = try TriageFiles.examples(at: csv)
            var options = ClassifierTrainingOptions()
            options.abstentionThreshold = threshold
            let started = Date()
            let classifier: CategoryClassifier
            do {
                classifier = try TriageTraining.train(examples, options: options)
            } catch {
                throw ValidationError("\(error.message.en) / \(error.message.zhHans)")
            }
            do {
                try classifier.serialized().write(to: URL(fileURLWithPath: model))
            } catch {
                throw ValidationError("cannot write \(model) / 无法写入 \(model)")
            }
            classifier.validation?.lines.forEach { print($0) }
            print("categories / 类别数: \(classifier.categories.count)")
            print("examples / 样本数: \(examples.count)")
            print(String(format: "training time / 训练耗时: %.1f s", Date().timeIntervalSince(started)))
            print("model / 模型: \(model)")
        }
    }

    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "eval", abstract: "Measure a model on a labelled CSV; the last line is 'accuracy: 0.xxxx'.")
        @Option(help: "The model file.") var model: String
        @Option(help: "A CSV file with columns text,category.") var csv: String

        func run() throws {
            let classifier = try TriageFiles.classifier(at: model)
            let report = TriageTraining.evaluate(classifier, on: try TriageFiles.examples(at: csv))
            report.lines(threshold: classifier.abstentionThreshold).forEach { print($0) }
        }
    }

    struct Predict: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read one text per line on stdin; write one JSON object per line.")
        @Option(help: "The model file.") var model: String

        func run() throws {
            let classifier = try TriageFiles.classifier(at: model)
            while let line = readLine() { print(classifier.predict(line).jsonLine) }
        }
    }
}

enum TriageFiles {
    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path) / 无法读取 \(path)") }
        return String(decoding: data, as: UTF8.self)
    }

    static func examples(at path: String) throws -> [LabeledText] {
        do {
            return try LabeledText.parseCSV(try read(path))
        } catch let error as CSV.ParseError {
            throw ValidationError("\(path): line / 行 \(error.line): \(error.message.en) / \(error.message.zhHans)")
        }
    }

    static func classifier(at path: String) throws -> CategoryClassifier {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path) / 无法读取 \(path)") }
        do {
            return try CategoryClassifier(serialized: data)
        } catch {
            throw ValidationError("\(path): \(error.message.en) / \(error.message.zhHans)")
        }
    }
}
