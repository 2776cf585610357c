// Run-time rendering of templated task arguments (fact sheet 12.6, 12.9): the variables, the
// literal and filter subset, undefined values, and the errors that fail a run.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>

#include "models/mwaa_serverless/definition.hpp"

namespace wfsim::models::mwaa {
namespace {

TemplateContext sample_context() {
  TemplateContext context;
  context.params = nlohmann::json::parse(R"({
    "src_bucket": "example-orders", "prefix": "daily/", "limit": 10, "ratio": 0.5,
    "enabled": true, "nothing": null, "nested": {"inner": "deep", "list": [1, 2]},
    "tags": ["a", "b"], "empty": ""})");
  context.logical_date_us = *sim::from_civil(2031, 6, 3, 2, 40, 5);
  context.run_id = "run-123";
  context.task_id = "list_new";
  return context;
}

std::string rendered(const std::string& text, const TemplateContext& context = sample_context()) {
  auto result = render_template(text, context);
  if (auto* error = std::get_if<DefinitionError>(&result)) {
    ADD_FAILURE() << "unexpected error: " << error->message << " for " << text;
    return {};
  }
  return std::get<std::string>(result);
}

std::string render_error(const std::string& text) {
  auto result = render_template(text, sample_context());
  if (auto* error = std::get_if<DefinitionError>(&result)) return error->message;
  ADD_FAILURE() << "expected an error for " << text << ", got " << std::get<std::string>(result);
  return {};
}

TEST(TemplateRender, PlainTextIsUnchanged) {
  EXPECT_EQ(rendered(""), "");
  EXPECT_EQ(rendered("no templates here"), "no templates here");
  EXPECT_EQ(rendered("json {\"a\": {1}} and a trailing {"), "json {\"a\": {1}} and a trailing {");
  EXPECT_EQ(rendered("stray }} closers"), "stray }} closers");
}

TEST(TemplateRender, Params) {
  EXPECT_EQ(rendered("s3://{{ params.src_bucket }}/{{params.prefix}}"),
            "s3://example-orders/daily/");
  EXPECT_EQ(rendered("{{ params.nested.inner }}"), "deep");
  EXPECT_EQ(rendered("{{ params['src_bucket'] }}"), "example-orders");
  EXPECT_EQ(rendered("{{ params[\"nested\"]['list'][1] }}"), "2");
}

TEST(TemplateRender, DateVariablesOfTheLogicalDate) {
  EXPECT_EQ(rendered("{{ ds }}"), "2031-06-03");
  EXPECT_EQ(rendered("{{ ds_nodash }}"), "20310603");
  EXPECT_EQ(rendered("{{ ts }}"), "2031-06-03T02:40:05+00:00");
  EXPECT_EQ(rendered("{{ ts_nodash }}"), "20310603T024005");
  TemplateContext context = sample_context();
  context.logical_date_us += 250'000;
  EXPECT_EQ(rendered("{{ ts }}", context), "2031-06-03T02:40:05.250000+00:00");
  EXPECT_EQ(rendered("{{ ts_nodash }}", context), "20310603T024005");
  context.logical_date_us = 0;
  EXPECT_EQ(rendered("{{ ds }} {{ ts }}", context), "1970-01-01 1970-01-01T00:00:00+00:00");
}

TEST(TemplateRender, RunAndTaskInstanceVariables) {
  EXPECT_EQ(rendered("{{ run_id }}"), "run-123");
  EXPECT_EQ(rendered("{{ ti.task_id }}"), "list_new");
  EXPECT_EQ(rendered("{{ task_instance.task_id }}"), "list_new");
  EXPECT_EQ(rendered("{{ ti.xcom_pull(task_ids='extract') }}"), "None");
  EXPECT_EQ(rendered("{{ task_instance.xcom_pull('extract', key='return_value') }}"), "None");
}

TEST(TemplateRender, Literals) {
  EXPECT_EQ(rendered("{{ 'single' }} {{ \"double\" }}"), "single double");
  EXPECT_EQ(rendered("{{ 'it\\'s' }}"), "it's");
  EXPECT_EQ(rendered("{{ '}}' }}"), "}}");
  EXPECT_EQ(rendered("{{ 42 }} {{ 1.5 }} {{ 1_000 }}"), "42 1.5 1000");
  EXPECT_EQ(rendered("{{ true }} {{ False }} {{ none }}"), "True False None");
  EXPECT_EQ(rendered("{{ ('grouped') }}"), "grouped");
}

TEST(TemplateRender, ValuesRenderPythonStyleScalarsAndJsonContainers) {
  EXPECT_EQ(rendered("{{ params.limit }}"), "10");
  EXPECT_EQ(rendered("{{ params.ratio }}"), "0.5");
  EXPECT_EQ(rendered("{{ params.enabled }}"), "True");
  EXPECT_EQ(rendered("{{ params.nothing }}"), "None");
  EXPECT_EQ(rendered("{{ params.tags }}"), "[\"a\",\"b\"]");
  EXPECT_EQ(rendered("{{ params.nested }}"), "{\"inner\":\"deep\",\"list\":[1,2]}");
}

TEST(TemplateRender, Filters) {
  EXPECT_EQ(rendered("{{ params.missing | default('fallback') }}"), "fallback");
  EXPECT_EQ(rendered("{{ params.missing | d('short') }}"), "short");
  EXPECT_EQ(rendered("{{ params.missing | default }}"), "");
  EXPECT_EQ(rendered("{{ params.src_bucket | default('unused') }}"), "example-orders");
  EXPECT_EQ(rendered("{{ params.empty | default('kept empty') }}"), "");
  EXPECT_EQ(rendered("{{ params.empty | default('falsy', true) }}"), "falsy");
  EXPECT_EQ(rendered("{{ params.limit | string }}"), "10");
  EXPECT_EQ(rendered("{{ params.src_bucket | upper }}"), "EXAMPLE-ORDERS");
  EXPECT_EQ(rendered("{{ 'MiXeD' | lower }}"), "mixed");
  EXPECT_EQ(rendered("[{{ '  padded ' | trim }}]"), "[padded]");
  EXPECT_EQ(rendered("{{ params.missing | default('x') | upper }}"), "X");
  EXPECT_EQ(render_error("{{ ds | shout }}"), "No filter named 'shout'.");
  EXPECT_EQ(render_error("{{ ds | upper(1) }}"), "too many arguments for filter 'upper'");
}

TEST(TemplateRender, UndefinedValuesRenderEmptyButCannotBeUsedFurther) {
  EXPECT_EQ(rendered("[{{ params.missing }}]"), "[]");
  EXPECT_EQ(rendered("[{{ unknown_variable }}]"), "[]");
  EXPECT_EQ(rendered("[{{ ti.try_number }}]"), "[]");
  EXPECT_EQ(rendered("[{{ ds.year }}]"), "[]");
  EXPECT_EQ(render_error("{{ params.missing.inner }}"), "'dict object' has no attribute 'missing'");
  EXPECT_EQ(render_error("{{ dag_run.conf }}"), "'dag_run' is undefined");
  EXPECT_EQ(render_error("{{ ds.year.month }}"), "'str object' has no attribute 'year'");
}

TEST(TemplateRender, WhitespaceControlAndComments) {
  EXPECT_EQ(rendered("a   {{- ds_nodash -}}   b"), "a20310603b");
  EXPECT_EQ(rendered("x{# a comment #}y"), "xy");
  EXPECT_EQ(rendered("x  {#- trimmed -#}  y"), "xy");
  EXPECT_EQ(render_error("x{# never closed"), "Missing end of comment tag");
}

TEST(TemplateRender, SyntaxErrors) {
  const std::string end_of_print = "unexpected end of template, expected 'end of print statement'.";
  EXPECT_EQ(render_error("{{ params.src_bucket"), end_of_print);
  EXPECT_EQ(render_error("{{ params.src_bucket }"), "unexpected '}'");
  EXPECT_EQ(render_error("prefix {{"), end_of_print);
  EXPECT_EQ(render_error("{{ }}"), "Expected an expression, got 'end of print statement'");
  EXPECT_EQ(render_error("{{ ds ds }}"), "expected token 'end of print statement', got 'ds'");
  EXPECT_EQ(render_error("{{ params[ }}"), "unexpected 'end of print statement'");
  EXPECT_EQ(render_error("{{ ds $ }}"), "unexpected char '$' at 6");
  EXPECT_EQ(render_error("{{ 'open }}"), "unexpected char ''' at 3");
  EXPECT_EQ(render_error("{{ params.limit + 1 }}")
                .rfind("unsupported operator '+' in template expression", 0),
            0u);
}

// 12.6's ds macros, on the sample's logical date 2031-06-03.
TEST(TemplateRender, DsMacrosWork) {
  EXPECT_EQ(rendered("{{ macros.ds_add(ds, 1) }}"), "2031-06-04");
  EXPECT_EQ(rendered("{{ macros.ds_add(ds, -3) }}"), "2031-05-31");
  EXPECT_EQ(rendered("{{ macros.ds_add(days=-365, ds='2032-03-01') }}"), "2031-03-02");
  EXPECT_EQ(rendered("{{ macros.ds_format(ds, '%Y-%m-%d', '%Y/%m/%d') }}"), "2031/06/03");
  EXPECT_EQ(rendered("{{ macros.ds_format(ds_nodash, '%Y%m%d', '%d %b %Y, a %A') }}"),
            "03 Jun 2031, a Tuesday");
  EXPECT_EQ(rendered("{{ macros.ds_format(macros.ds_add(ds, 30), '%Y-%m-%d', '%j') }}"), "184");
  // Airflow returns str(ds) untouched when days is falsy, whatever ds is.
  EXPECT_EQ(rendered("{{ macros.ds_add(ds_nodash, 0) }}"), "20310603");
  EXPECT_EQ(rendered("{{ macros.ds_add(params.limit, none) }}"), "10");
  // timedelta(days=1.5) moves 36 hours; the date is what remains.
  EXPECT_EQ(rendered("{{ macros.ds_add(ds, 1.5) }}"), "2031-06-04");
  EXPECT_EQ(rendered("{{ macros.ds_add(ds, -0.5) }}"), "2031-06-02");
  EXPECT_EQ(rendered("{{ macros.ds_add(ds, - -2) }}"), "2031-06-05");
}

// Unary minus works on numbers, Python's negative subscripts count from the end, and
// subtraction stays outside the subset with an error that says so.
TEST(TemplateRender, UnaryMinusAndNegativeSubscripts) {
  EXPECT_EQ(rendered("{{ -params.limit }}"), "-10");
  EXPECT_EQ(rendered("{{ -1.5 }}"), "-1.5");
  EXPECT_EQ(rendered("{{ params.tags[-1] }}"), "b");
  EXPECT_EQ(rendered("{{ params.nested.list[-2] }}"), "1");
  EXPECT_EQ(rendered("{{ params.tags[-3] | default('none') }}"), "none");
  EXPECT_EQ(render_error("{{ -params.prefix }}"), "bad operand type for unary -: 'str'");
  for (const char* subtraction : {"{{ params.limit-1 }}", "{{ 5 - 3 }}", "{{ ds|upper - 1 }}"}) {
    EXPECT_EQ(render_error(subtraction).rfind("unsupported operator '-' in template expression", 0),
              0u)
        << subtraction;
  }
}

TEST(TemplateRender, DsMacroErrorsFailTheRunWithPythonsText) {
  EXPECT_EQ(render_error("{{ macros.ds_add(ts, 1) }}"),
            "unconverted data remains: T02:40:05+00:00");
  EXPECT_EQ(render_error("{{ macros.ds_add('2031-02-30', 1) }}"), "day is out of range for month");
  EXPECT_EQ(render_error("{{ macros.ds_add(ds, '1') }}"),
            "unsupported type for timedelta days component: str");
  EXPECT_EQ(render_error("{{ macros.ds_add(ds_nodash, 1) }}"),
            "time data '20310603' does not match format '%Y-%m-%d'");
  EXPECT_EQ(render_error("{{ macros.ds_format(ds, 1, '%Y') }}"),
            "strptime() argument 2 must be str, not int");
  EXPECT_EQ(render_error("{{ macros.ds_add(ds) }}"),
            "ds_add() missing required positional argument: 'days'");
  EXPECT_EQ(render_error("{{ macros.ds_add(ds, 1, 2) }}"),
            "ds_add() takes 2 positional arguments but 3 were given");
  EXPECT_EQ(render_error("{{ macros.ds_add(ds, 1, ds=ds) }}"),
            "ds_add() got multiple values for argument 'ds'");
  EXPECT_EQ(render_error("{{ macros.ds_add(ds, dayz=1) }}"),
            "ds_add() got an unexpected keyword argument 'dayz'");
  EXPECT_EQ(render_error("{{ macros.ds_add(ds, 10000000) }}"), "date value out of range");
  EXPECT_EQ(render_error("{{ macros.ds_format(ds, '%d/%m/%Y', '%Y') }}"),
            "time data '2031-06-03' does not match format '%d/%m/%Y'");
  EXPECT_EQ(render_error("{{ macros.ds_format(ds, '%Y-%m-%d', '%Q') }}").rfind(
                "the simulator's template subset does not write '%Q'", 0),
            0u);
}

TEST(TemplateRender, UnsupportedFeaturesFailTheRun) {
  EXPECT_EQ(render_error("{% if params.enabled %}x{% endif %}"),
            "unsupported block '{% if params.enabled %}': only {{ expression }} placeholders are "
            "rendered");
  EXPECT_EQ(render_error("{{ macros.random() }}"),
            "'macros.random' works on Python objects the simulator does not have: of 12.6's "
            "macros, its template subset calls macros.ds_add and macros.ds_format");
  EXPECT_EQ(render_error("{{ macros.uuid.uuid4() }}").rfind("'macros.uuid.uuid4' works on", 0),
            0u);
  EXPECT_EQ(render_error("{{ ds(1) }}"),
            "'ds' is not callable in the simulator's template subset (ti.xcom_pull, "
            "macros.ds_add and macros.ds_format are)");
  std::string nested = "{{ ";
  for (int i = 0; i < 40; ++i) nested += "(";
  EXPECT_EQ(render_error(nested + "1" + std::string(40, ')') + " }}"),
            "template expression nested too deeply");
}

TEST(TemplateRenderArguments, RendersEveryStringRecursively) {
  const nlohmann::json arguments = nlohmann::json::parse(R"({
    "bucket": "{{ params.src_bucket }}", "max_items": 5, "enabled": true,
    "keys": ["{{ ds }}", "fixed", {"deep": "{{ ti.task_id }}"}],
    "wait": {"__type__": "datetime.timedelta", "minutes": 5}})");
  auto result = render_arguments(arguments, sample_context());
  ASSERT_TRUE(std::holds_alternative<nlohmann::json>(result));
  EXPECT_EQ(std::get<nlohmann::json>(result), nlohmann::json::parse(R"({
    "bucket": "example-orders", "max_items": 5, "enabled": true,
    "keys": ["2031-06-03", "fixed", {"deep": "list_new"}],
    "wait": {"__type__": "datetime.timedelta", "minutes": 5}})"));
}

TEST(TemplateRenderArguments, FirstErrorWins) {
  const nlohmann::json arguments = nlohmann::json::parse(R"({
    "a": "{{ ok }}", "b": "{{ broken", "c": "{% block %}"})");
  auto result = render_arguments(arguments, sample_context());
  ASSERT_TRUE(std::holds_alternative<DefinitionError>(result));
  EXPECT_EQ(std::get<DefinitionError>(result).message,
            "unexpected end of template, expected 'end of print statement'.");
}

TEST(TemplateRenderArguments, DeepCallerJsonIsRefusedNotOverflowed) {
  nlohmann::json deep = "{{ ds }}";
  for (int i = 0; i < 300; ++i) deep = nlohmann::json::array({deep});
  auto result = render_arguments(deep, sample_context());
  ASSERT_TRUE(std::holds_alternative<DefinitionError>(result));
  EXPECT_EQ(std::get<DefinitionError>(result).message,
            "task arguments nested too deeply to render");
}

RC_GTEST_PROP(TemplateProperties, RenderingNeverThrows, ()) {
  const std::string text = *rc::gen::container<std::string>(rc::gen::elementOf(std::vector<char>{
      '{', '{', '}', '}', '%', '#', '-', ' ', '|', '.', '(', ')', '[', ']',  '\'', '"',
      ',', '=', 'p', 'a', 'r', 'm', 's', 'd', 't', 'i', '_', '0', '1', '\\', '$',  '+'}));
  bool threw = false;
  try {
    render_template(text, sample_context());
  } catch (...) {
    threw = true;
  }
  RC_ASSERT(!threw);
}

RC_GTEST_PROP(TemplateProperties, TextWithoutOpeningBracesRendersUnchanged, ()) {
  const std::string text = *rc::gen::container<std::string>(
      rc::gen::suchThat(rc::gen::character<char>(), [](char c) { return c != '{'; }));
  const auto result = render_template(text, sample_context());
  RC_ASSERT(std::holds_alternative<std::string>(result));
  RC_ASSERT(std::get<std::string>(result) == text);
}

}  // namespace
}  // namespace wfsim::models::mwaa
