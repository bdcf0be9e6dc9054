import AblateCore
import Yams

/// `figure:` of a report spec.
extension ReportSpecParser {
    /// The keys of `figure`; handled by `parseFigure`.
    private enum FigureKey: String, CaseIterable {
        case x, y, title, ylabel, panels, width
    }

    /// The keys of a panel.
    private enum PanelKey: String, CaseIterable {
        case y, curve, title, ylabel
    }

    static func parseFigure(_ node: Node, _ reader: inout YAMLReader) -> FigureSpec? {
        guard case .mapping(let mapping) = node else {
            reader.expect(
                node, what: "'figure'", expected: "a mapping such as '{x: tokens, y: helmet_avg}' or with 'panels'")
            return nil
        }
        var figure = FigureSpec(panels: [], location: reader.location(of: node))
        var single = FigureSpec.Panel(y: "")
        var sawY = false
        reader.readKeys(of: mapping, as: FigureKey.self, in: "'figure'") { reader, key, value in
            switch key {
            case .x:
                let expected = "'tokens' or 'step'"
                guard let text = reader.scalarString(value, what: "'figure.x'", expected: expected) else { return }
                if let axis = FigureSpec.XAxis(rawValue: text) {
                    figure.x = axis
                } else {
                    reader.report(reader.location(of: value), "'figure.x' is '\(text)'; use \(expected)")
                }
            case .y:
                sawY = true
                single.y = reader.scalarString(value, what: "'figure.y'", expected: "a metric or column label") ?? ""
            case .title:
                single.title = reader.scalarString(value, what: "'figure.title'", expected: "text")
            case .ylabel:
                single.yLabel = reader.scalarString(value, what: "'figure.ylabel'", expected: "text")
            case .width:
                guard case .scalar(let scalar) = value, let inches = Double(scalar.string), inches >= 1, inches <= 20
                else {
                    reader.report(
                        reader.location(of: value), "'figure.width' must be inches between 1 and 20, such as 3.25")
                    return
                }
                figure.width = inches
            case .panels:
                guard case .sequence(let sequence) = value, !sequence.isEmpty else {
                    reader.expect(
                        value, what: "'figure.panels'",
                        expected: "a list such as [{y: eval.helmet_avg, title: After SFT}]")
                    return
                }
                for item in sequence {
                    guard case .mapping(let panelMapping) = item else {
                        reader.expect(item, what: "a panel of 'figure.panels'", expected: "a mapping with 'y'")
                        continue
                    }
                    var panel = FigureSpec.Panel(y: "")
                    reader.readKeys(of: panelMapping, as: PanelKey.self, in: "a panel of 'figure.panels'") {
                        reader, key, value in
                        switch key {
                        case .y:
                            panel.y =
                                reader.scalarString(value, what: "'y' of a panel", expected: "a metric or column label")
                                ?? ""
                        case .curve:
                            guard let text = reader.scalarString(value, what: "'curve' of a panel", expected: "'loss'")
                            else { return }
                            if text == "loss" {
                                panel.curve = text
                                panel.y = text
                            } else {
                                reader.report(
                                    reader.location(of: value),
                                    "'curve' of a panel is '\(text)'; only 'loss' (the training loss the runs' trainers log) is drawn as a curve"
                                )
                            }
                        case .title:
                            panel.title = reader.scalarString(value, what: "'title' of a panel", expected: "text")
                        case .ylabel:
                            panel.yLabel = reader.scalarString(value, what: "'ylabel' of a panel", expected: "text")
                        }
                    }
                    if panel.y.isEmpty {
                        reader.report(
                            reader.location(of: item),
                            "a panel of 'figure.panels' needs 'y' (a metric or column label) or 'curve: loss'")
                    } else {
                        figure.panels.append(panel)
                    }
                }
            }
        }
        if sawY, !figure.panels.isEmpty {
            reader.report(figure.location, "'figure' gives both 'y' and 'panels'; give 'y' for one panel, or 'panels'")
            return nil
        }
        if sawY, !single.y.isEmpty { figure.panels = [single] }
        if figure.panels.isEmpty {
            if !sawY {
                reader.report(figure.location, "'figure' needs 'y' (a metric or column label) or 'panels'")
            }
            return nil
        }
        return figure
    }
}
