import Foundation
import RefGateCore

/// One page with one form, GOV.UK style: an error summary linking to each field in error, the
/// fields with their hints and messages, and every value the person typed kept on an error.
struct FormPage {
    /// A field of the form.
    struct Field {
        enum Kind { case text, date, email, textarea, select, radios, checkbox }
        var id: String
        var label: String
        var kind: Kind
        var hint: String? = nil
        var options: [(value: String, label: String)] = []
        /// Required unless false.
        var required = true
    }

    var action: String
    var submit: String
    var submitID: String
    var intro: String? = nil
    var fields: [Field]
    /// What the person typed (or the defaults).
    var values: [String: String] = [:]
    /// Field id → message; "" is the form as a whole.
    var errors: [(field: String, text: String)] = []

    /// The first field of `fields` left empty, each with "Enter …"/"Choose …".
    mutating func checkRequired() {
        for field in fields where field.required && field.kind != .checkbox {
            if (values[field.id] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                let verb = [.select, .radios].contains(field.kind) ? "Choose" : "Enter"
                errors.append((field.id, "\(verb) \(field.label.prefix(1).lowercased() + field.label.dropFirst())"))
            }
        }
    }

    /// Puts a refusal from a command on the field its text names (a JSON path or a field id),
    /// else on the form; the words are the command's, as the CLI prints them.
    mutating func add(_ error: RefGateError, fieldsByMention: [String: String]) {
        let field = fieldsByMention.first { error.detail.contains($0.key) }?.value ?? ""
        errors.append((field, error.detail))
    }

    /// The Mustache data of the page.
    func data(csrf: String) -> [String: Any] {
        let messages = Dictionary(errors.map { ($0.field, $0.text) }, uniquingKeysWith: { first, _ in first })
        return [
            "action": action, "submit": submit, "submitID": submitID, "csrf": csrf, "intro": intro as Any,
            "hasErrors": !errors.isEmpty,
            "errors": errors.map { ["href": $0.field.isEmpty ? "form-top" : $0.field, "text": $0.text] },
            "fields": fields.map { field -> [String: Any] in
                let value = values[field.id] ?? ""
                var data: [String: Any] = [
                    "id": field.id, "label": field.label, "hint": field.hint as Any, "value": value,
                    "error": messages[field.id] as Any, "inputType": Self.inputType(field.kind),
                ]
                switch field.kind {
                case .text, .date, .email: data["isInput"] = true
                case .textarea: data["isTextarea"] = true
                case .select: data["isSelect"] = true
                case .radios: data["isRadios"] = true
                case .checkbox:
                    data["isCheckbox"] = true
                    data["checked"] = value == "yes"
                }
                data["options"] = field.options.map {
                    ["fieldID": field.id, "value": $0.value, "label": $0.label, "selected": $0.value == value]
                }
                return data
            },
        ]
    }

    private static func inputType(_ kind: Field.Kind) -> String {
        switch kind {
        case .date: "date"
        case .email: "email"
        default: "text"
        }
    }
}

extension DashboardTemplates {
    /// The one form template every workflow page uses.
    static let form = """
        {{#hasErrors}}<div class="error-summary" role="alert" tabindex="-1" id="error-summary"><h2>There is a problem</h2>
        <ul>{{#errors}}<li><a href="#{{href}}">{{text}}</a></li>{{/errors}}</ul></div>{{/hasErrors}}
        {{#intro}}<p>{{.}}</p>{{/intro}}
        <form method="post" action="{{action}}" id="form-top" novalidate>
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#fields}}
        <div class="field{{#error}} field-error{{/error}}">
        {{#isInput}}<label for="{{id}}">{{label}}</label>{{#hint}}<div class="hint">{{hint}}</div>{{/hint}}{{#error}}<p class="error-message" id="{{id}}-error">{{error}}</p>{{/error}}<input type="{{inputType}}" id="{{id}}" name="{{id}}" value="{{value}}">{{/isInput}}
        {{#isTextarea}}<label for="{{id}}">{{label}}</label>{{#hint}}<div class="hint">{{hint}}</div>{{/hint}}{{#error}}<p class="error-message" id="{{id}}-error">{{error}}</p>{{/error}}<textarea id="{{id}}" name="{{id}}" rows="4">{{value}}</textarea>{{/isTextarea}}
        {{#isSelect}}<label for="{{id}}">{{label}}</label>{{#hint}}<div class="hint">{{hint}}</div>{{/hint}}{{#error}}<p class="error-message" id="{{id}}-error">{{error}}</p>{{/error}}<select id="{{id}}" name="{{id}}"><option value="">Choose…</option>{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</select>{{/isSelect}}
        {{#isRadios}}<fieldset id="{{id}}"><legend>{{label}}</legend>{{#hint}}<div class="hint">{{hint}}</div>{{/hint}}{{#error}}<p class="error-message" id="{{id}}-error">{{error}}</p>{{/error}}{{#options}}<div class="inline"><input type="radio" id="{{fieldID}}-{{value}}" name="{{fieldID}}" value="{{value}}"{{#selected}} checked{{/selected}}> <label for="{{fieldID}}-{{value}}">{{label}}</label></div>{{/options}}</fieldset>{{/isRadios}}
        {{#isCheckbox}}<div class="inline"><input type="checkbox" id="{{id}}" name="{{id}}" value="yes"{{#checked}} checked{{/checked}}> <label for="{{id}}">{{label}}</label></div>{{/isCheckbox}}
        </div>
        {{/fields}}
        <p><button type="submit" id="{{submitID}}">{{submit}}</button></p>
        </form>
        """
}
