"""Mounted only when REGIODAG_BENCH=1 (see regiodag/urls.py): the baseline for the benchmarks."""

from django.urls import path

from bench import views

urlpatterns = [path("baseline/", views.baseline, name="bench_baseline")]
