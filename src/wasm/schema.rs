//! Standard Schema v1 (<https://standardschema.dev>, the interface zod, valibot and ArkType
//! share, which TanStack Form, React Hook Form, Conform, tRPC and Hono accept):
//! `klingSchema(provider, options?)` over `validate`, and `flattenIssues`, which keys a
//! report's messages by dotted path as zod's `flattenError` does. Part of the validator
//! build: forms that only check need nothing else.

use super::validate::{argument_error, parse_locale, parse_provider, report_to_js};
use crate::messages::Locale;
use crate::model::{MediaFacts, Provider};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_SCHEMA: &'static str = r#"
/** The Standard Schema v1 interface (https://standardschema.dev), declared as `@standard-schema/spec` declares it, so a `KlingSchema` is one without that package. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": StandardSchemaV1.Props<Input, Output>;
}
/** The types of the Standard Schema v1 interface (those of `@standard-schema/spec`). */
export declare namespace StandardSchemaV1 {
  /** The `~standard` property. */
  export interface Props<Input = unknown, Output = Input> {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown, options?: Options | undefined) => Result<Output> | Promise<Result<Output>>;
    readonly types?: Types<Input, Output> | undefined;
  }
  /** Options a caller may pass to `validate` (a `KlingSchema` takes none). */
  export interface Options {
    readonly libraryOptions?: Record<string, unknown> | undefined;
  }
  /** What `validate` returns. */
  export type Result<Output> = SuccessResult<Output> | FailureResult;
  /** The value is valid. */
  export interface SuccessResult<Output> {
    readonly value: Output;
    readonly issues?: undefined;
  }
  /** The value is not valid. */
  export interface FailureResult {
    readonly issues: ReadonlyArray<Issue>;
  }
  /** One issue: a message and where. */
  export interface Issue {
    readonly message: string;
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
  }
  /** A path segment given as an object. */
  export interface PathSegment {
    readonly key: PropertyKey;
  }
  /** The input and output types, for inference only. */
  export interface Types<Input = unknown, Output = Input> {
    readonly input: Input;
    readonly output: Output;
  }
  /** The input type of a schema. */
  export type InferInput<Schema extends StandardSchemaV1> = NonNullable<Schema["~standard"]["types"]>["input"];
  /** The output type of a schema. */
  export type InferOutput<Schema extends StandardSchemaV1> = NonNullable<Schema["~standard"]["types"]>["output"];
}
/** What a `KlingSchema`'s `validate` returns: Standard Schema's result (`issues` are the report's errors, with `code`, `params` and `fix`), and the report's warnings on the side. */
export type KlingSchemaResult<R> =
  | { readonly value: R; readonly issues?: undefined; readonly warnings: Issue[] }
  | { readonly issues: ReadonlyArray<Issue>; readonly warnings: Issue[] };
/** The `~standard` property of a `KlingSchema`. */
export interface KlingSchemaProps<R> extends StandardSchemaV1.Props<unknown, R> {
  readonly vendor: "kling-omni";
  readonly validate: (value: unknown) => KlingSchemaResult<R>;
}
/** A Standard Schema v1 for one provider's requests: give it to a form library or framework that accepts Standard Schema (TanStack Form, React Hook Form, Conform, tRPC, Hono). Its output type is the provider's request type. */
export interface KlingSchema<R = AnyRequest> extends StandardSchemaV1<unknown, R> {
  readonly "~standard": KlingSchemaProps<R>;
  /** The provider it validates for. */
  readonly provider: Provider;
}
/** Options of `klingSchema`: the messages' language. */
export interface KlingSchemaOptions { locale?: "en" | "zh" }
/** A Standard Schema v1 (`~standard`, vendor `"kling-omni"`) over `validate`: `{ value }` when the request has no error, else `{ issues }` (errors only); warnings in `warnings`. Synchronous; call `init()` first. */
export function klingSchema(provider: "o1", options?: KlingSchemaOptions): KlingSchema<O1Request>;
/** A Standard Schema v1 over `validate` for the V3 gateway's requests. */
export function klingSchema(provider: "v3", options?: KlingSchemaOptions): KlingSchema<V3Request>;
/** A Standard Schema v1 over `validate` for Kling's own API (either model). */
export function klingSchema(provider: "kling", options?: KlingSchemaOptions): KlingSchema<KlingRequest>;
/** A Standard Schema v1 over `validate` for a provider chosen at run time. */
export function klingSchema(provider: Provider, options?: KlingSchemaOptions): KlingSchema<AnyRequest>;
/** Messages keyed as zod's `flattenError` keys them: `formErrors` for issues with no path, `fieldErrors` by dotted path (`"parameters.image_list.0.image_url"`). */
export interface FlattenedIssues {
  formErrors: string[];
  fieldErrors: Record<string, string[]>;
}
/** What `flattenIssues` takes: a report (its errors), a Standard Schema result, or a list of issues (`report.warnings`). */
export type IssuesInput = Pick<Report, "errors"> | { readonly issues?: ReadonlyArray<StandardSchemaV1.Issue> | undefined } | ReadonlyArray<StandardSchemaV1.Issue>;
/** Groups issues' messages by dotted path, as zod's `flattenError` does: for showing each field's errors beside it. */
export function flattenIssues(issues: IssuesInput): FlattenedIssues;
"#;

fn set(target: &Object, key: &str, value: &JsValue) -> Result<(), JsValue> {
    Reflect::set(target, &JsValue::from_str(key), value).map(|_| ())
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// One Standard Schema `validate` call: `{ value, warnings }` or `{ issues, warnings }`.
/// Never throws for a bad value (Standard Schema's contract): a value that is not a
/// request object is one issue with no path.
fn standard_validate(provider: Provider, locale: Locale, value: JsValue) -> Result<JsValue, JsValue> {
    let result = Object::new();
    let not_object = if Array::is_array(&value) {
        Some("array".to_string())
    } else if !value.is_object() {
        Some(if value.is_null() { "null".into() } else { value.js_typeof().as_string().unwrap_or_default() })
    } else {
        None
    };
    let read = match not_object {
        Some(kind) => Err(format!("request must be an object, got {kind}")),
        None => match super::validate::validate_input(provider, &value, || Ok(MediaFacts::default())) {
            Ok(Ok(report)) => Ok(report),
            Ok(Err(e)) => Err(e.to_string()),
            Err(e) => Err(e
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_else(|| "invalid request".into())),
        },
    };
    let report = match read {
        Ok(r) => r,
        Err(message) => {
            let issue = Object::new();
            set(&issue, "message", &JsValue::from_str(&message))?;
            set(&result, "issues", &Array::of1(&issue))?;
            set(&result, "warnings", &Array::new())?;
            return Ok(result.into());
        }
    };
    let js = report_to_js(&report, locale)?;
    if report.valid() {
        set(&result, "value", &value)?;
    } else {
        set(&result, "issues", &get(&js, "errors"))?;
    }
    set(&result, "warnings", &get(&js, "warnings"))?;
    Ok(result.into())
}

/// A Standard Schema v1 object over `validate` for one provider (`options.locale` for the
/// messages). Typed by the overloads in `TS_SCHEMA` (one output type per provider).
#[wasm_bindgen(js_name = klingSchema, skip_typescript)]
pub fn kling_schema_js(provider: JsValue, options: Option<JsValue>) -> Result<JsValue, JsValue> {
    let provider = parse_provider(&provider)?;
    let locale = parse_locale(&options.unwrap_or(JsValue::UNDEFINED))?;
    // Handed to JS for good: freed with the schema when the platform has weak references
    // (every supported one); a few bytes per schema otherwise.
    let validate = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(move |value| {
        standard_validate(provider, locale, value)
    })
    .into_js_value();
    let standard = Object::new();
    set(&standard, "version", &JsValue::from_f64(1.0))?;
    set(&standard, "vendor", &JsValue::from_str("kling-omni"))?;
    set(&standard, "validate", &validate)?;
    let schema = Object::new();
    set(&schema, "~standard", &Object::freeze(&standard))?;
    set(&schema, "provider", &JsValue::from_str(provider.as_str()))?;
    Ok(Object::freeze(&schema).into())
}

/// The key of one path segment: a string as it is; a number (or a symbol) as JavaScript's
/// `String()` writes it (`0`, `1.5`), not Rust's float formatting (which would cost the
/// validator build kilobytes); `{ key }` by its key.
fn segment_key(seg: &JsValue) -> String {
    let seg = if seg.is_object() { get(seg, "key") } else { seg.clone() };
    if let Some(s) = seg.as_string() {
        return s;
    }
    get(&js_sys::global(), "String")
        .dyn_into::<js_sys::Function>()
        .and_then(|f| f.call1(&JsValue::UNDEFINED, &seg))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// Groups issues' messages by dotted path, as zod's `flattenError` does (`formErrors` for
/// issues with no path). Takes a report (its errors), a Standard Schema result (its
/// issues), or a list of issues.
#[wasm_bindgen(js_name = flattenIssues, skip_typescript)]
pub fn flatten_issues_js(issues: JsValue) -> Result<JsValue, JsValue> {
    let list = if Array::is_array(&issues) {
        issues
    } else if issues.is_object() {
        let errors = get(&issues, "errors");
        if Array::is_array(&errors) {
            errors
        } else {
            let found = get(&issues, "issues");
            if found.is_undefined() {
                Array::new().into()
            } else {
                found
            }
        }
    } else {
        JsValue::UNDEFINED
    };
    if !Array::is_array(&list) {
        return Err(argument_error("flattenIssues takes a report, a Standard Schema result or an array of issues"));
    }
    let form_errors = Array::new();
    // In first-seen order; made with `Object.fromEntries`, so a key such as "__proto__" (an
    // unknown field of that name) is a key like any other.
    let mut fields: Vec<(String, Array)> = Vec::new();
    for issue in Array::from(&list).iter() {
        let message = get(&issue, "message");
        let path = get(&issue, "path");
        let keys: Vec<String> =
            if Array::is_array(&path) { Array::from(&path).iter().map(|s| segment_key(&s)).collect() } else { vec![] };
        if keys.is_empty() {
            form_errors.push(&message);
            continue;
        }
        let key = keys.join(".");
        match fields.iter().find(|(k, _)| *k == key) {
            Some((_, messages)) => {
                messages.push(&message);
            }
            None => fields.push((key, Array::of1(&message))),
        }
    }
    let entries: Array = fields.into_iter().map(|(k, v)| Array::of2(&JsValue::from_str(&k), &v)).collect();
    let field_errors = Object::from_entries(&entries)?;
    let out = Object::new();
    set(&out, "formErrors", &form_errors)?;
    set(&out, "fieldErrors", &field_errors)?;
    Ok(out.into())
}
