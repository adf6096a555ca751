using System.Text;
using System.Text.Json;
using EmbeddedBroker.Simulation;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.App.Tests.Simulation;

public class SensorModelTests
{
    [Test]
    public void Every_default_sensor_drifts_within_its_bounds_by_at_most_one_step()
    {
        var random = new Random(12345);
        foreach (var definition in SensorDefinition.Defaults)
        {
            var model = new SensorModel(definition, random);
            var previous = model.Value;
            var distinct = new HashSet<double>();
            for (var i = 0; i < 10_000; i++)
            {
                var value = model.Next();
                Assert.That(value, Is.InRange(definition.Min, definition.Max), definition.Name);
                Assert.That(Math.Abs(value - previous), Is.LessThanOrEqualTo(definition.Step + Math.Pow(10, -definition.Decimals)), definition.Name);
                distinct.Add(value);
                previous = value;
            }

            Assert.That(distinct, Has.Count.GreaterThan(10), $"{definition.Name} should drift, not stay put");
        }
    }

    [Test]
    public void First_value_starts_inside_the_middle_of_the_band()
    {
        var definition = new SensorDefinition { Name = "t", Min = 0, Max = 100, Step = 1, Decimals = 0 };

        var model = new SensorModel(definition, new Random(1));

        Assert.That(model.Value, Is.InRange(25, 75));
    }

    [Test]
    public void Default_sensors_include_the_ones_users_expect()
    {
        Assert.That(SensorDefinition.Defaults.Select(s => s.Name), Is.SupersetOf(new[] { "temperature", "humidity", "pressure", "co2", "light" }));
    }

    [Test]
    public void Value_payload_is_the_number_as_invariant_text()
    {
        var sensor = new SensorDefinition { Name = "temperature", Unit = "°C", Decimals = 1 };

        Assert.That(Encoding.UTF8.GetString(SensorPayload.Format(sensor, 23.7, json: false)), Is.EqualTo("23.7"));
    }

    [Test]
    public void Json_payload_carries_sensor_value_and_unit()
    {
        var sensor = new SensorDefinition { Name = "temperature", Unit = "°C", Decimals = 1 };

        using var document = JsonDocument.Parse(SensorPayload.Format(sensor, 23.7, json: true));

        Assert.That(document.RootElement.GetProperty("sensor").GetString(), Is.EqualTo("temperature"));
        Assert.That(document.RootElement.GetProperty("value").GetDouble(), Is.EqualTo(23.7));
        Assert.That(document.RootElement.GetProperty("unit").GetString(), Is.EqualTo("°C"));
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void Validator_rejects_a_non_positive_interval_naming_the_key(double seconds)
    {
        var result = new SimulatorOptionsValidator().Validate(null, new SimulatorOptions { IntervalSeconds = seconds });

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain("Simulator:IntervalSeconds"));
    }

    [Test]
    public void Validator_rejects_a_sensor_whose_bounds_are_reversed()
    {
        var options = new SimulatorOptions { Sensors = [new SensorDefinition { Name = "x", Min = 10, Max = 0, Step = 1 }] };

        var result = new SimulatorOptionsValidator().Validate(null, options);

        Assert.That(result.FailureMessage, Does.Contain("Simulator:Sensors:0"));
    }

    [Test]
    public void Validator_accepts_the_defaults()
    {
        Assert.That(new SimulatorOptionsValidator().Validate(null, new SimulatorOptions()), Is.EqualTo(ValidateOptionsResult.Success));
    }
}
