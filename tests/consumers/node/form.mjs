import init, { klingSchema, flattenIssues } from "kling-omni";
import { FormApi } from "@tanstack/form-core";

await init();

// TanStack Form takes the schema as it is (as do React Hook Form's standardSchemaResolver,
// Conform, tRPC and Hono): each error lands on the field its path names.
const form = new FormApi({
  defaultValues: { prompt: "a paper boat on a rainy street", aspect_ratio: "16:9", duration: "5" },
  validators: { onChange: klingSchema("o1") },
});
form.mount();

form.setFieldValue("duration", "7"); // O1 text-to-video takes "5" or "10"
console.log(form.state.isValid, form.getFieldMeta("duration").errors.map((e) => e.message));
// false ['duration is 7; here it must be one of "5", "10"']

form.setFieldValue("duration", "10");
console.log(form.state.isValid); // true

// Without a form library: the schema's result, and its messages by field.
const schema = klingSchema("v3", { locale: "zh" });
const result = schema["~standard"].validate({ model: "kling-v3-omni", input: { prompt: "" } });
console.log(flattenIssues(result));
// { formErrors: [], fieldErrors: {
//   "input.prompt": ["提示词不能为空，请填写提示词"],
//   "parameters.aspect_ratio": ["画面纵横比为必填项，可选 \"16:9\", \"9:16\", \"1:1\""] } }
