import Foundation
import KefuText

// Measures the category model: training time on one CSV, accuracy on another,
// and prediction throughput. Usage: kefu-bench-triage TRAIN.csv EVAL.csv

func examples(_ path: String) -> [LabeledText] {
    guard let data = FileManager.default.contents(atPath: path),
          let parsed = try? LabeledText.parseCSV(String(decoding: data, as: UTF8.self)) else {
        FileHandle.standardError.write(Data("cannot read \(path) / 无法读取 \(path)\n".utf8))
        exit(1)
    }
    return parsed
}

func runBenchmark() {
    let arguments = CommandLine.arguments
    guard arguments.count == 3 else {
        FileHandle.standardError.write(Data("usage / 用法: kefu-bench-triage TRAIN.csv EVAL.csv\n".utf8))
        exit(1)
    }
    let training = examples(arguments[1])
    let evaluation = examples(arguments[2])
    let clock = ContinuousClock()

    func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    var classifier: CategoryClassifier?
    let trainingTime = clock.measure { classifier = try? TriageTraining.train(training) }
    guard let classifier else { exit(1) }

    let texts = evaluation.map(\.text)
    var rounds = 0
    var predicted = 0
    let predictionTime = clock.measure {
        while rounds < 3 {
            for text in texts { if !classifier.predict(text).label.isEmpty { predicted += 1 } }
            rounds += 1
        }
    }
    let report = TriageTraining.evaluate(classifier, on: evaluation)

    // Expected calibration error over 10 equal-width confidence bins: how far
    // stated confidence is from observed accuracy, weighted by bin size.
    var binTotals = [Double](repeating: 0, count: 10), binConfidence = binTotals, binCorrect = binTotals
    for example in evaluation {
        let prediction = classifier.predict(example.text)
        let bin = min(9, Int(prediction.confidence * 10))
        binTotals[bin] += 1
        binConfidence[bin] += prediction.confidence
        if prediction.label == example.category { binCorrect[bin] += 1 }
    }
    let calibrationError = (0..<10).reduce(0.0) { total, bin in
        total + abs(binConfidence[bin] - binCorrect[bin]) / Double(evaluation.count)
    }
    let size = classifier.serialized().count

    print("training examples / 训练样本数: \(training.count), categories / 类别数: \(classifier.categories.count)")
    print(String(format: "training time / 训练耗时: %.2f s", seconds(trainingTime)))
    print(String(format: "temperature / 温度: %.4f", classifier.temperature))
    if let validation = classifier.validation { validation.lines.forEach { print($0) } }
    print(String(format: "prediction throughput / 预测吞吐: %.0f texts/s", Double(predicted) / seconds(predictionTime)))
    print(String(format: "model size / 模型大小: %.1f MB", Double(size) / 1_048_576))
    print(String(format: "expected calibration error / 期望校准误差: %.4f", calibrationError))
    report.lines(threshold: classifier.abstentionThreshold).forEach { print($0) }
}

runBenchmark()
